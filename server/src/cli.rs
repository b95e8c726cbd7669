//! Parsing the operator's commands (`user`, `token`, `erase`, `export`):
//! the words and flags of [`crate::accounts::USAGE`], plus the database
//! flags and variables the service itself takes. Running them is
//! `accounts`'.

use std::path::PathBuf;

use crate::accounts::Admin;
use crate::auth::Role;
use crate::config::{parse_database_url, split_flag, Command, Database};
use crate::db::erase::Target;

/// The first words that make a command instead of the service.
pub const COMMANDS: [&str; 4] = ["user", "token", "erase", "export"];

pub fn parse(args: impl Iterator<Item = String>, env: &dyn Fn(&str) -> Option<String>) -> Result<Command, String> {
    let mut words = Vec::new();
    let mut flags: Vec<(String, String)> = Vec::new();
    let mut switches = Vec::new();
    let mut database_url = env("DATABASE_URL").filter(|s| !s.is_empty());
    let mut db = env("FEEDBACK_DB").filter(|s| !s.is_empty());
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let (name, inline) = split_flag(&arg);
        let mut value = || inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"));
        match name.as_str() {
            "--help" | "-h" => return Ok(Command::AdminHelp),
            "--db" => db = Some(value()?),
            "--database-url" => database_url = Some(value()?),
            "--read" => switches.push(name),
            "--role" | "--agent-id" | "--email" | "--conversation" | "--customer-key" | "--agent" => {
                flags.push((name.clone(), value()?))
            }
            "--password" | "--inbox-password" => {
                return Err(format!("{name}: a password is read from stdin, never from an argument"))
            }
            other if other.starts_with('-') && other != "-" => {
                return Err(format!("unknown argument {other:?} (see --help)"))
            }
            _ => words.push(arg),
        }
    }
    let database = match (database_url, db) {
        (Some(url), _) => parse_database_url(&url)?,
        (None, Some(path)) => Database::Sqlite(PathBuf::from(path)),
        (None, None) => Database::Sqlite(PathBuf::from("feedback.sqlite")),
    };
    let one = |flag: &str| -> Result<Option<String>, String> {
        let mut found = flags.iter().filter(|(n, _)| n == flag).map(|(_, v)| v.clone());
        let first = found.next();
        if found.next().is_some() {
            return Err(format!("{flag} given twice"));
        }
        Ok(first)
    };
    let all = |flag: &str| flags.iter().filter(|(n, _)| n == flag).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let admin = match words.as_slice() {
        ["user", "add", name] => {
            let role = one("--role")?.ok_or("user add needs --role admin|lead|agent")?;
            let role = Role::parse(&role).ok_or_else(|| format!("--role {role:?}: use admin, lead or agent"))?;
            let email = one("--email")?.map(|a| crate::notify::settings::email_address(&a)).transpose()?;
            Admin::UserAdd { name: (*name).to_owned(), role, agent_ids: all("--agent-id"), email }
        }
        ["user", "email", name, address] => {
            let email = match *address {
                "-" => None,
                a => Some(crate::notify::settings::email_address(a)?),
            };
            Admin::UserEmail { name: (*name).to_owned(), email }
        }
        ["user", "list"] => Admin::UserList,
        ["user", "remove", name] => Admin::UserRemove { name: (*name).to_owned() },
        ["user", "passwd", name] => Admin::UserPasswd { name: (*name).to_owned() },
        ["token", "add", name] => Admin::TokenAdd { name: (*name).to_owned(), read_only: !switches.is_empty() },
        ["token", "list"] => Admin::TokenList,
        ["token", "revoke", name] => Admin::TokenRevoke { name: (*name).to_owned() },
        ["erase"] => {
            let targets = [
                one("--conversation")?.map(Target::Conversation),
                one("--customer-key")?.map(Target::CustomerKey),
                one("--agent")?.map(Target::Agent),
            ];
            let mut given = targets.into_iter().flatten();
            match (given.next(), given.next()) {
                (Some(target), None) if !target.value().is_empty() => Admin::Erase(target),
                _ => return Err("erase needs exactly one of --conversation ID, --customer-key KEY, --agent ID".into()),
            }
        }
        ["export"] => Admin::Export { conversation: one("--conversation")?.ok_or("export needs --conversation ID")? },
        _ => return Err(format!("{:?}: not a command (see feedback-receiver user --help)", words.join(" "))),
    };
    let used: &[&str] = match &admin {
        Admin::UserAdd { .. } => &["--role", "--agent-id", "--email"],
        Admin::Erase(_) => &["--conversation", "--customer-key", "--agent"],
        Admin::Export { .. } => &["--conversation"],
        _ => &[],
    };
    if let Some((flag, _)) = flags.iter().find(|(n, _)| !used.contains(&n.as_str())) {
        return Err(format!("{flag} does not apply to this command"));
    }
    if !switches.is_empty() && !matches!(admin, Admin::TokenAdd { .. }) {
        return Err("--read is for token add".into());
    }
    Ok(Command::Admin(database, admin))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(args: &[&str]) -> Result<(Database, Admin), String> {
        match parse(args.iter().map(|s| s.to_string()), &|_| None)? {
            Command::Admin(db, admin) => Ok((db, admin)),
            _ => Err("help".into()),
        }
    }

    #[test]
    fn commands_and_their_flags() {
        let (db, admin) = parse_args(&[
            "user",
            "add",
            "ada",
            "--role",
            "agent",
            "--agent-id",
            "a1",
            "--agent-id=a2",
            "--db",
            "x.sqlite",
        ])
        .unwrap();
        assert_eq!(db, Database::Sqlite("x.sqlite".into()));
        assert_eq!(
            admin,
            Admin::UserAdd {
                name: "ada".into(),
                role: Role::Agent,
                agent_ids: vec!["a1".into(), "a2".into()],
                email: None
            }
        );
        assert_eq!(
            parse_args(&["user", "add", "ada", "--role", "agent", "--agent-id", "a1", "--email", "ada@example.com"])
                .unwrap()
                .1,
            Admin::UserAdd {
                name: "ada".into(),
                role: Role::Agent,
                agent_ids: vec!["a1".into()],
                email: Some("ada@example.com".into())
            }
        );
        assert_eq!(
            parse_args(&["user", "email", "ada", "ada@example.org"]).unwrap().1,
            Admin::UserEmail { name: "ada".into(), email: Some("ada@example.org".into()) }
        );
        assert_eq!(
            parse_args(&["user", "email", "ada", "-"]).unwrap().1,
            Admin::UserEmail { name: "ada".into(), email: None }
        );
        assert!(parse_args(&["user", "email", "ada", "not an address"]).unwrap_err().contains("--email"));
        assert_eq!(
            parse_args(&["token", "add", "ci", "--read"]).unwrap().1,
            Admin::TokenAdd { name: "ci".into(), read_only: true }
        );
        assert_eq!(
            parse_args(&["erase", "--conversation", "c-1"]).unwrap().1,
            Admin::Erase(Target::Conversation("c-1".into()))
        );
        assert_eq!(
            parse_args(&["export", "--conversation", "c-1"]).unwrap().1,
            Admin::Export { conversation: "c-1".into() }
        );
    }

    #[test]
    fn mistakes_are_named_and_passwords_never_come_from_arguments() {
        let cases: [(&[&str], &str); 8] = [
            (&["user", "add", "ada"], "--role"),
            (&["user", "add", "ada", "--role", "boss"], "admin, lead or agent"),
            (&["user", "add", "ada", "--role", "lead", "--password", "secret secret"], "stdin"),
            (&["erase"], "exactly one"),
            (&["erase", "--conversation", "a", "--agent", "b"], "exactly one"),
            (&["user", "list", "--role", "lead"], "does not apply"),
            (&["user", "list", "--read"], "--read is for token add"),
            (&["user", "fly"], "not a command"),
        ];
        for (args, needle) in cases {
            let err = parse_args(args).unwrap_err();
            assert!(err.contains(needle), "{args:?}: {err}");
        }
    }
}
