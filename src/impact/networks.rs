//! What changed in the networks family: the advisors holding each (network, permission).
//! Networks and their catalogs are small (tens of networks, tens of permissions), so every
//! pair is compared once the networks store or the directory changed.

use roaring::RoaringBitmap;

use crate::id::DenseId;
use crate::impact::remap::Remap;
use crate::network::{NetworkId, NetworkPermissionId};
use crate::snapshot::Snapshot;

#[derive(Clone, Debug)]
pub(crate) struct NetworkDelta {
    pub(crate) network: NetworkId,
    pub(crate) permission: NetworkPermissionId,
    pub(crate) gained: RoaringBitmap,
    pub(crate) lost: RoaringBitmap,
}

pub(crate) fn diff(before: &Snapshot, after: &Snapshot, remap: &Remap) -> Vec<NetworkDelta> {
    let (nb, pb) = before.networks.id_counts();
    let (na, pa) = after.networks.id_counts();
    let (vb, va) = (before.networks(), after.networks());
    let mut out = Vec::new();
    for n in (0..nb.max(na)).map(NetworkId::from_index) {
        for p in (0..pb.max(pa)).map(NetworkPermissionId::from_index) {
            let old = vb.advisors_with_permission(n, p).into_positions();
            let new = va.advisors_with_permission(n, p).into_positions();
            let gained = &new - &remap.to_after(&old);
            let lost = &old - &remap.to_before(&new);
            if !gained.is_empty() || !lost.is_empty() {
                out.push(NetworkDelta {
                    network: n,
                    permission: p,
                    gained,
                    lost,
                });
            }
        }
    }
    out
}
