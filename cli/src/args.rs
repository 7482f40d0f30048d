//! The command line: commands, their arguments and help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXAMPLES: &str = "\
Examples (on the sample org in examples/data/):
  orgperm validate examples/data/acme.json
  orgperm check examples/data/acme.json call lee call-101
  orgperm explain examples/data/acme.json access tess calls ana
  orgperm who-can examples/data/acme.json call call-102
  orgperm visible examples/data/acme.json calls dana
  orgperm preview examples/data/acme.json examples/data/acme-changes.json
  orgperm apply examples/data/acme.json examples/data/acme-changes.json -o /tmp/acme-after.json
  orgperm diff examples/data/acme.json /tmp/acme-after.json
  orgperm import --vendor genesys examples/data/vendor/genesys -o /tmp/genesys.json
  orgperm stats examples/data/acme.json

Exit status: check answers 0 (allow) or 1 (deny); every command exits 2 on bad input,
an unknown id (with the closest known ids) or an unreadable file.";

/// Ask orgperm about a model document: validate it, check and explain decisions of every
/// family, run reverse queries, apply change sets, measure it.
#[derive(Debug, Parser)]
#[command(name = "orgperm", version, after_help = EXAMPLES)]
pub struct Cli {
    /// Print JSON on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read a model document or a change set strictly and report every error with its path
    /// (exit 2; at most 1,000), or what it holds. A vendor export folder is read whole, up
    /// to its first error (a body may build on the ones before it).
    Validate {
        /// A model document, a change set (a JSON object with `ops`) or a vendor export
        /// folder (with its `export.json`).
        file: PathBuf,
        /// For a change set: also apply it to this model document (nothing is written).
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Answer one check: exit 0 for allow, 1 for deny.
    Check {
        /// The model document.
        file: PathBuf,
        #[command(subcommand)]
        query: Query,
    },
    /// Answer one check and name the rule that decided.
    Explain {
        /// The model document.
        file: PathBuf,
        #[command(subcommand)]
        query: Query,
    },
    /// Who may do something on an object: the subjects, in org-chart order.
    WhoCan {
        /// The model document.
        file: PathBuf,
        #[command(subcommand)]
        target: Target,
        #[command(flatten)]
        page: Page,
    },
    /// What a subject may see: the objects.
    Visible {
        /// The model document.
        file: PathBuf,
        #[command(subcommand)]
        objects: Objects,
        #[command(flatten)]
        page: Page,
    },
    /// Apply a change set, all or nothing, and write the new model document.
    Apply {
        /// The model document.
        file: PathBuf,
        /// The change set.
        changes: PathBuf,
        /// Where to write the model after the change.
        #[arg(short, long)]
        out: PathBuf,
    },
    /// Read a vendor export folder (its `export.json` manifest names each saved API body and
    /// its reader) into a model document, all or nothing.
    Import {
        /// The vendor: gong, genesys, gtmhub or symphony (must be the manifest's).
        #[arg(long)]
        vendor: String,
        /// The export folder.
        dir: PathBuf,
        /// Where to write the model document.
        #[arg(short, long)]
        out: PathBuf,
        /// Also write the change set that builds the model from the manifest's base (for a
        /// sync job that applies deltas to a live engine).
        #[arg(long)]
        changes: Option<PathBuf>,
        /// Skip fields the vendor does not define and report them as warnings, instead of
        /// refusing the folder.
        #[arg(long)]
        lenient: bool,
    },
    /// What-if: who would gain and who would lose access if the change set were applied
    /// (nothing is written). Largest changes first; `--json` lists every id.
    Preview {
        /// The model document.
        file: PathBuf,
        /// The change set.
        changes: PathBuf,
        #[command(flatten)]
        top: Top,
    },
    /// Who gained and who lost access from one model document to another (NEW read with
    /// its records in OLD's order, so both number shared objects alike). A NEW without some
    /// of OLD's objects renumbers the rest and is refused: use `preview` on OLD and the
    /// change set for removals.
    Diff {
        /// The model document before.
        old: PathBuf,
        /// The model document after.
        new: PathBuf,
        #[command(flatten)]
        top: Top,
    },
    /// Sizes, memory by part, load and compile times.
    Stats {
        /// The model document.
        file: PathBuf,
    },
    /// Checks per second and per-check p50/p99 of `can_access` on random pairs of the
    /// loaded model's users.
    Bench {
        /// The model document.
        file: PathBuf,
        /// Checks to run.
        #[arg(long, default_value_t = 1_000_000)]
        checks: usize,
        /// The domain checked.
        #[arg(long, default_value = "calls")]
        domain: String,
        /// Seed of the random pairs.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Paging of a listing.
#[derive(Debug, Args)]
pub struct Page {
    /// List at most this many (the count is always the full one).
    #[arg(long, global = true)]
    pub limit: Option<usize>,
    /// Skip this many first.
    #[arg(long, default_value_t = 0, global = true)]
    pub offset: usize,
}

/// How many lines of an impact's summary to print as text.
#[derive(Debug, Args)]
pub struct Top {
    /// Print at most this many of the largest changes (`--json` always lists all).
    #[arg(long, default_value_t = 40)]
    pub top: usize,
}

/// A workspace chosen for a profile query.
#[derive(Debug, Args)]
pub struct Workspace {
    /// The workspace (the default one when not given).
    #[arg(long)]
    pub workspace: Option<String>,
}

/// One check of any family.
#[derive(Debug, Subcommand)]
pub enum Query {
    /// Profiles: may VIEWER access OWNER's data in DOMAIN (calls, deals, emails, coaching,
    /// insights, usage, forecast, forecastEditSubmissions, forecastEditTargets)?
    Access {
        viewer: String,
        domain: String,
        owner: String,
        #[command(flatten)]
        ws: Workspace,
    },
    /// Profiles: does USER's profile hold CAPABILITY (e.g. scoreCalls)?
    Capability {
        user: String,
        capability: String,
        #[command(flatten)]
        ws: Workspace,
    },
    /// Profiles: may USER open library FOLDER?
    Folder {
        user: String,
        folder: String,
        #[command(flatten)]
        ws: Workspace,
    },
    /// Roles: does USER hold PERMISSION (e.g. routing:queue:view), anywhere or in a
    /// division or on a resource?
    Permission {
        user: String,
        permission: String,
        /// The division of the object.
        #[arg(long, conflicts_with = "resource")]
        division: Option<String>,
        /// A resource (its division decides).
        #[arg(long)]
        resource: Option<String>,
        /// An attribute of the object for conditional policies, as NAME=VALUE (repeatable).
        #[arg(long = "attr", value_parser = parse_attribute)]
        attributes: Vec<(String, String)>,
    },
    /// Actions: may USER perform global ACTION (e.g. manage_goals)?
    Action { user: String, action: String },
    /// Calls: may VIEWER open CALL?
    Call { viewer: String, call: String },
    /// Items: may USER do VERB (read, update, delete, modifyPermissions) on ITEM?
    Item {
        user: String,
        item: String,
        verb: String,
    },
    /// Networks: does ADVISOR hold PERMISSION on NETWORK?
    Network {
        advisor: String,
        network: String,
        permission: String,
    },
    /// Teams: is USER a member of TEAM?
    Team {
        user: String,
        team: String,
        /// Count members of every sub-team too.
        #[arg(long)]
        sub_teams: bool,
    },
}

/// The object of a reverse query.
#[derive(Debug, Subcommand)]
pub enum Target {
    /// Who may access OWNER's data in DOMAIN.
    Access {
        owner: String,
        domain: String,
        #[command(flatten)]
        ws: Workspace,
    },
    /// Who holds CAPABILITY.
    Capability {
        capability: String,
        #[command(flatten)]
        ws: Workspace,
    },
    /// Who may open library FOLDER.
    Folder {
        folder: String,
        #[command(flatten)]
        ws: Workspace,
    },
    /// Who holds PERMISSION without condition (in a division when given).
    Permission {
        permission: String,
        #[arg(long)]
        division: Option<String>,
    },
    /// Who may perform ACTION.
    Action { action: String },
    /// Who may open CALL.
    Call { call: String },
    /// Who may do VERB on ITEM.
    Item { item: String, verb: String },
    /// Who holds PERMISSION on NETWORK.
    Network { network: String, permission: String },
    /// The members of TEAM.
    Team {
        team: String,
        #[arg(long)]
        sub_teams: bool,
    },
    /// The holders of PROFILE.
    Profile { profile: String },
}

/// The subject of a listing.
#[derive(Debug, Subcommand)]
pub enum Objects {
    /// The users whose DOMAIN data VIEWER may access.
    Owners {
        viewer: String,
        domain: String,
        #[command(flatten)]
        ws: Workspace,
    },
    /// The calls VIEWER may open.
    Calls {
        viewer: String,
        #[command(flatten)]
        ws: Workspace,
    },
    /// The library folders USER may open.
    Folders {
        user: String,
        #[command(flatten)]
        ws: Workspace,
    },
    /// The capabilities USER holds.
    Capabilities {
        user: String,
        #[command(flatten)]
        ws: Workspace,
    },
    /// The global actions USER may perform.
    Actions { user: String },
    /// The permissions USER holds.
    Permissions { user: String },
    /// The roles USER holds.
    Roles { user: String },
    /// The items of TYPE (session, goal, metric, insightBoard, dashboard) on which USER may
    /// do VERB (read unless given).
    Items {
        user: String,
        item_type: String,
        #[arg(long, default_value = "read")]
        verb: String,
    },
}

fn parse_attribute(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("expected NAME=VALUE, found {s:?}"))
}
