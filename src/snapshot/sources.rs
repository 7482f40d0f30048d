//! Which store versions a snapshot was compiled from.
//!
//! A snapshot keeps a weak reference to each of the model's stores. The model changes a store
//! only through `Arc::make_mut`, which, while a weak reference points at the store, moves it
//! into a new allocation before changing it (and copies it while it is shared). So two
//! snapshots whose weak references to a store point at the same allocation were compiled
//! from the same version of it, and an unequal pair means the store was written to in
//! between (or the models are unrelated). The weak references keep only the allocation, never
//! the store's contents, alive.

use std::sync::{Arc, Weak};

use crate::calls::store::CallStore;
use crate::items::store::ItemStore;
use crate::model::Model;
use crate::network::store::NetworkStore;
use crate::org::directory::Directory;
use crate::org::workspace::Workspaces;
use crate::profile::store::ProfileStore;
use crate::rbac::RbacStore;
use crate::teams::store::TeamStore;

/// Weak references to the stores a snapshot was compiled from.
#[derive(Clone, Debug)]
pub(crate) struct Sources {
    dir: Weak<Directory>,
    workspaces: Weak<Workspaces>,
    profiles: Weak<ProfileStore>,
    teams: Weak<TeamStore>,
    calls: Weak<CallStore>,
    networks: Weak<NetworkStore>,
    rbac: Weak<RbacStore>,
    items: Weak<ItemStore>,
}

/// Which stores two snapshots were compiled from the same version of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Unchanged {
    pub(crate) dir: bool,
    pub(crate) workspaces: bool,
    pub(crate) profiles: bool,
    pub(crate) teams: bool,
    pub(crate) calls: bool,
    pub(crate) networks: bool,
    pub(crate) rbac: bool,
    pub(crate) items: bool,
}

impl Sources {
    pub(crate) fn of(model: &Model) -> Sources {
        Sources {
            dir: Arc::downgrade(&model.dir),
            workspaces: Arc::downgrade(&model.workspaces),
            profiles: Arc::downgrade(&model.profiles),
            teams: Arc::downgrade(&model.teams),
            calls: Arc::downgrade(&model.calls),
            networks: Arc::downgrade(&model.networks),
            rbac: Arc::downgrade(&model.rbac),
            items: Arc::downgrade(&model.items),
        }
    }

    pub(crate) fn compare(&self, other: &Sources) -> Unchanged {
        Unchanged {
            dir: Weak::ptr_eq(&self.dir, &other.dir),
            workspaces: Weak::ptr_eq(&self.workspaces, &other.workspaces),
            profiles: Weak::ptr_eq(&self.profiles, &other.profiles),
            teams: Weak::ptr_eq(&self.teams, &other.teams),
            calls: Weak::ptr_eq(&self.calls, &other.calls),
            networks: Weak::ptr_eq(&self.networks, &other.networks),
            rbac: Weak::ptr_eq(&self.rbac, &other.rbac),
            items: Weak::ptr_eq(&self.items, &other.items),
        }
    }
}
