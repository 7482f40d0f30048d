//! Model → snapshot: each family compiled once, in dependency order, from its own store and
//! the compiled families below it.

use crate::calls::compiled::CompiledCalls;
use crate::items::compiled::CompiledItems;
use crate::model::Model;
use crate::network::compiled::CompiledNetworks;
use crate::org::compiled::CompiledOrg;
use crate::profile::compiled::CompiledProfiles;
use crate::rbac::compiled::CompiledRbac;
use crate::snapshot::Snapshot;
use crate::teams::compiled::CompiledTeams;

impl Snapshot {
    pub(crate) fn compile(model: &Model) -> Snapshot {
        let org = CompiledOrg::compile(&model.dir, &model.workspaces);
        let profiles = CompiledProfiles::compile(model.profile_inputs(), &org);
        let teams = CompiledTeams::compile(&model.teams, &org);
        let calls = CompiledCalls::compile(&model.calls, &org, &profiles);
        let networks = CompiledNetworks::compile(&model.networks, &org);
        let rbac = CompiledRbac::build(&model.rbac, &org);
        let items = CompiledItems::compile(&model.items, &org, &teams, &rbac);
        Snapshot {
            org,
            profiles,
            teams,
            calls,
            networks,
            rbac,
            items,
        }
    }
}
