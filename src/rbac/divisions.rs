//! Divisions (Genesys): partitions of the organisation's objects that grants are scoped to.
//! One division is the home division: grants and objects without a division go there. The
//! first division added becomes home until another is chosen.
//!
//! Objects assigned to divisions are called resources here (queues, campaigns, flows…): each
//! sits in exactly one division. A division that is home, or still holds resources or grants,
//! cannot be deleted.

use crate::error::InputErrorKind;
use crate::id::registry::Registry;
use crate::id::{Interner, NONE};
use crate::rbac::RbacMut;
use crate::rbac::RbacRef;
use crate::rbac::error::{RbacError, RbacErrorKind};
use crate::rbac::ids::{DivisionId, ResourceId, SCOPE_ALL, ix};

/// Divisions and the resources assigned to them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Divisions {
    /// Name by dense id; a deleted division's id is kept.
    pub(crate) names: Registry<DivisionId, String>,
    pub(crate) home: Option<DivisionId>,
    pub(crate) resources: Interner<ResourceId>,
    /// Division of each resource, `NONE` once removed.
    pub(crate) resource_division: Vec<u32>,
}

impl Divisions {
    pub(crate) fn live(&self, id: &str) -> Option<DivisionId> {
        self.names.live_id(id)
    }

    pub(crate) fn name(&self, d: DivisionId) -> &str {
        self.names.name(d)
    }

    /// The compiled scope of a grant's division: `None` → home, `"*"` → all, else the id.
    pub(crate) fn scope(&self, division: Option<&str>, path: &str) -> Result<u32, RbacError> {
        match division {
            None => self
                .home
                .map(|h| h.as_u32())
                .ok_or_else(|| RbacError::at(path, RbacErrorKind::NoHomeDivision)),
            Some("*") => Ok(SCOPE_ALL),
            Some(d) => self.live(d).map(|d| d.as_u32()).ok_or_else(|| {
                RbacError::at(path, RbacErrorKind::UnknownDivision { id: d.to_owned() })
            }),
        }
    }

    /// The external form of a scope: `"*"` or the division id.
    pub(crate) fn scope_name(&self, scope: u32) -> &str {
        if scope == SCOPE_ALL {
            "*"
        } else {
            self.name(DivisionId::new(scope))
        }
    }

    pub(crate) fn live_resource(&self, id: &str) -> Option<(ResourceId, DivisionId)> {
        let r = self.resources.get(id)?;
        let d = *self.resource_division.get(ix(r))?;
        (d != NONE).then(|| (r, DivisionId::new(d)))
    }

    fn resources_in(&self, d: DivisionId) -> impl Iterator<Item = &str> + '_ {
        self.resources
            .iter()
            .filter(move |(r, _)| self.resource_division.get(ix(*r)) == Some(&d.as_u32()))
            .map(|(_, name)| name)
    }
}

impl<'m> RbacMut<'m> {
    /// Adds a division. The first one becomes the home division. Names are required and
    /// unique (without case).
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, RbacErrorKind};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.rbac_mut().add_division("emea", "EMEA")?;
    /// assert_eq!(model.rbac().home_division(), Some("home"));
    /// let err = model.rbac_mut().add_division("emea2", "emea").unwrap_err();
    /// assert_eq!(err.kind(), &RbacErrorKind::DuplicateName { name: "emea".into() });
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn add_division(&mut self, id: &str, name: &str) -> Result<DivisionId, RbacError> {
        let divisions = &mut self.rbac.divisions;
        if id.is_empty() {
            return Err(RbacError::at("id", InputErrorKind::EmptyId));
        }
        if id == "*" {
            return Err(RbacError::at(
                "id",
                InputErrorKind::Conflict {
                    reason: "\"*\" stands for all divisions and cannot be a division id",
                },
            ));
        }
        if divisions.live(id).is_some() {
            return Err(RbacError::at(
                "id",
                InputErrorKind::DuplicateId { id: id.to_owned() },
            ));
        }
        if name.trim().is_empty() {
            return Err(RbacError::at("name", InputErrorKind::Required));
        }
        let lower = name.to_lowercase();
        if divisions
            .names
            .iter()
            .any(|(_, n)| n.to_lowercase() == lower)
        {
            return Err(RbacError::at(
                "name",
                RbacErrorKind::DuplicateName {
                    name: name.to_owned(),
                },
            ));
        }
        let (d, _) = divisions.names.insert(id, name.to_owned())?;
        if divisions.home.is_none() {
            divisions.home = Some(d);
        }
        Ok(d)
    }

    /// Makes a division the home division. Existing grants and resources keep their
    /// division; later ones without a division go to the new home.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.rbac_mut().add_division("a", "A").unwrap();
    /// model.rbac_mut().add_division("b", "B").unwrap();
    /// model.rbac_mut().set_home_division("b").unwrap();
    /// assert_eq!(model.rbac().home_division(), Some("b"));
    /// ```
    pub fn set_home_division(&mut self, id: &str) -> Result<(), RbacError> {
        let d = self.rbac.divisions.live(id).ok_or_else(|| {
            RbacError::at("id", RbacErrorKind::UnknownDivision { id: id.to_owned() })
        })?;
        self.rbac.divisions.home = Some(d);
        Ok(())
    }

    /// Deletes a division that is not home and holds no resources and no grants.
    ///
    /// # Examples
    ///
    /// ```
    /// use orgperm::{ErrorKind, Model, RbacErrorKind};
    /// let mut model = Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.rbac_mut().add_division("emea", "EMEA")?;
    /// model.rbac_mut().assign_resource("queue-1", Some("emea"))?;
    /// assert!(matches!(model.rbac_mut().delete_division("emea").unwrap_err().kind(), RbacErrorKind::DivisionInUse { .. }));
    /// model.rbac_mut().remove_resource("queue-1");
    /// model.rbac_mut().delete_division("emea")?;
    /// assert!(model.rbac().division_name("emea").is_none());
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn delete_division(&mut self, id: &str) -> Result<(), RbacError> {
        let divisions = &self.rbac.divisions;
        let d = divisions.live(id).ok_or_else(|| {
            RbacError::at("id", RbacErrorKind::UnknownDivision { id: id.to_owned() })
        })?;
        let in_use = |reason| {
            Err(RbacError::at(
                "id",
                RbacErrorKind::DivisionInUse {
                    id: id.to_owned(),
                    reason,
                },
            ))
        };
        if divisions.home == Some(d) {
            return in_use("it is the home division");
        }
        if divisions.resources_in(d).next().is_some() {
            return in_use("objects are still assigned to it");
        }
        if self.rbac.grants.names_scope(d.as_u32()) {
            return in_use("grants still name it");
        }
        self.rbac.divisions.names.remove(d);
        Ok(())
    }

    /// Assigns a resource (an object such as a queue) to a division (`None`: the home
    /// division), moving it if it was elsewhere.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.rbac_mut().add_division("home", "Home")?;
    /// model.rbac_mut().add_division("emea", "EMEA")?;
    /// model.rbac_mut().assign_resource("queue-1", None)?;
    /// assert_eq!(model.rbac().resource_division("queue-1"), Some("home"));
    /// model.rbac_mut().assign_resource("queue-1", Some("emea"))?;
    /// assert_eq!(model.rbac().division_resources("emea")?, ["queue-1"]);
    /// # Ok::<(), orgperm::ModelError>(())
    /// ```
    pub fn assign_resource(
        &mut self,
        resource: &str,
        division: Option<&str>,
    ) -> Result<ResourceId, RbacError> {
        if resource.is_empty() {
            return Err(RbacError::at("id", InputErrorKind::EmptyId));
        }
        let divisions = &mut self.rbac.divisions;
        let scope = divisions.scope(division, "divisionId")?;
        if scope == SCOPE_ALL {
            return Err(RbacError::at(
                "divisionId",
                InputErrorKind::Conflict {
                    reason: "an object sits in exactly one division, not \"*\"",
                },
            ));
        }
        let (r, new) = divisions.resources.intern(resource)?;
        if new {
            divisions.resource_division.push(NONE);
        }
        if let Some(slot) = divisions.resource_division.get_mut(ix(r)) {
            *slot = scope;
        }
        Ok(r)
    }

    /// Removes a resource from its division. Returns whether it was assigned.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// assert!(!model.rbac_mut().remove_resource("queue-1"));
    /// ```
    pub fn remove_resource(&mut self, resource: &str) -> bool {
        let divisions = &mut self.rbac.divisions;
        let Some((r, _)) = divisions.live_resource(resource) else {
            return false;
        };
        if let Some(slot) = divisions.resource_division.get_mut(ix(r)) {
            *slot = NONE;
        }
        true
    }
}

impl<'m> RbacRef<'m> {
    /// A division's name.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.rbac_mut().add_division("home", "Home").unwrap();
    /// assert_eq!(model.rbac().division_name("home"), Some("Home"));
    /// ```
    pub fn division_name(&self, id: &str) -> Option<&'m str> {
        let d = self.rbac.divisions.live(id)?;
        self.rbac.divisions.names.get(d).map(String::as_str)
    }

    /// The external ids of the live divisions, in dense-id order.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.rbac_mut().add_division("home", "Home").unwrap();
    /// assert_eq!(model.rbac().division_ids().collect::<Vec<_>>(), ["home"]);
    /// ```
    pub fn division_ids(&self) -> impl Iterator<Item = &'m str> + 'm {
        let names = &self.rbac.divisions.names;
        names.iter().map(move |(d, _)| names.name(d))
    }

    /// The home division.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::Model::new().rbac().home_division(), None);
    /// ```
    pub fn home_division(&self) -> Option<&'m str> {
        self.rbac
            .divisions
            .home
            .map(|h| self.rbac.divisions.name(h))
    }

    /// The division of a resource.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(orgperm::Model::new().rbac().resource_division("queue-1"), None);
    /// ```
    pub fn resource_division(&self, resource: &str) -> Option<&'m str> {
        let (_, d) = self.rbac.divisions.live_resource(resource)?;
        Some(self.rbac.divisions.name(d))
    }

    /// The resources of a division, sorted.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut model = orgperm::Model::new();
    /// model.rbac_mut().add_division("home", "Home").unwrap();
    /// assert!(model.rbac().division_resources("home").unwrap().is_empty());
    /// assert!(model.rbac().division_resources("nope").is_err());
    /// ```
    pub fn division_resources(&self, division: &str) -> Result<Vec<&'m str>, RbacError> {
        let divisions = &self.rbac.divisions;
        let d = divisions.live(division).ok_or_else(|| {
            RbacError::at(
                "divisionId",
                RbacErrorKind::UnknownDivision {
                    id: division.to_owned(),
                },
            )
        })?;
        let mut out: Vec<&str> = divisions.resources_in(d).collect();
        out.sort_unstable();
        Ok(out)
    }
}
