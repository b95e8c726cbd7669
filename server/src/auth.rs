//! Credentials, without storage: Argon2id password hashes, random
//! 256-bit tokens (sessions and API tokens) of which only a SHA-256 is
//! kept, roles, and who a request turned out to be ([`Principal`]). The
//! tables are in `db::accounts`; the HTTP side (cookies, limits) in
//! `inbox::access`.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

/// The inbox session cookie over plain http (a receiver on a laptop).
pub const COOKIE: &str = "feedback_inbox";
/// The inbox session cookie over https: a browser keeps a `__Host-` cookie
/// only when it is `Secure`, for `Path=/` and without `Domain`, so a page
/// on another subdomain of the same site cannot set one for us.
pub const HTTPS_COOKIE: &str = "__Host-feedback_inbox";

/// The session cookie's name, the `Secure` one or not.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        HTTPS_COOKIE
    } else {
        COOKIE
    }
}
/// A session ends this long after the last request...
pub const SESSION_IDLE_MS: i64 = 2 * 3600 * 1000;
/// ...and at the latest this long after signing in.
pub const SESSION_MAX_MS: i64 = 12 * 3600 * 1000;
/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// API tokens start with this, so secret scanners and people recognise them.
pub const TOKEN_PREFIX: &str = "fbk_";

/// What a person may do in the inbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Manages people, tokens and sessions, reads the audit log, erases.
    Admin,
    /// Sees every answer.
    Lead,
    /// Sees only answers whose `agentId` is one of theirs.
    Agent,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Lead, Role::Agent];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Lead => "lead",
            Role::Agent => "agent",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// Which answers someone may read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Everything,
    /// Answers whose `agentId` is one of these (none: nothing).
    Agents(Vec<String>),
}

impl Default for Scope {
    /// Nothing: a scope that was forgotten shows no answer.
    fn default() -> Self {
        Scope::Agents(Vec::new())
    }
}

impl Scope {
    pub fn allows(&self, agent_id: Option<&str>) -> bool {
        match self {
            Scope::Everything => true,
            Scope::Agents(ids) => agent_id.is_some_and(|a| ids.iter().any(|id| id == a)),
        }
    }
}

/// How a request proved who it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Via {
    /// A signed-in person; the session's token hash (to sign it out).
    Session { token_hash: String },
    /// An API token (`Authorization: Bearer`).
    Token { read_only: bool },
}

/// Who made a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The user's name, or `token:<name>`.
    pub name: String,
    /// `None` for an API token.
    pub role: Option<Role>,
    pub scope: Scope,
    pub via: Via,
}

impl Principal {
    pub fn is_admin(&self) -> bool {
        self.role == Some(Role::Admin)
    }

    /// Whether it may change anything (mark follow-ups).
    pub fn may_write(&self) -> bool {
        !matches!(self.via, Via::Token { read_only: true })
    }
}

/// An Argon2id hash (the crate's defaults: 19 MiB, 2 passes, OWASP's
/// recommendation) in PHC form, with a random salt.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("hashing with valid parameters").to_string()
}

/// Checks `password` against a PHC hash (the parameters are the hash's own).
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Password checks run at once, at most, each on one of this many
/// threads of its own; the others wait their turn. Each check takes
/// 19 MiB for tens of milliseconds, and memory a thread's allocator has
/// held it keeps: run on the shared blocking pool, with nothing bounding
/// how many ran together, 60 guesses sent at once took the receiver from
/// 106 MB to over a gigabyte, never given back (an outsider's find).
pub const HASHING_AT_ONCE: usize = 4;

type Check = (String, String, tokio::sync::oneshot::Sender<bool>);

/// [`verify_password`] on the password threads (see [`HASHING_AT_ONCE`]).
pub async fn check_password(hash: String, password: String) -> bool {
    let (answer, answered) = tokio::sync::oneshot::channel();
    if password_threads().send((hash, password, answer)).is_err() {
        return false;
    }
    answered.await.unwrap_or(false)
}

fn password_threads() -> &'static std::sync::mpsc::Sender<Check> {
    static QUEUE: std::sync::OnceLock<std::sync::mpsc::Sender<Check>> = std::sync::OnceLock::new();
    QUEUE.get_or_init(|| {
        let (queue, checks) = std::sync::mpsc::channel::<Check>();
        let checks = std::sync::Arc::new(std::sync::Mutex::new(checks));
        for i in 0..HASHING_AT_ONCE {
            let checks = checks.clone();
            // Each thread's Argon2 memory, allocated once and reused: a
            // fresh 19 MiB for every check left the allocator holding more
            // with every check (about 100 MB after ten, on one thread).
            let mut memory = Vec::new();
            let work = move || loop {
                let next = checks.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((hash, password, answer)) = next else { return };
                // (Not for a request that has gone: timed out, or closed.)
                if !answer.is_closed() {
                    let _ = answer.send(verify_in(&hash, &password, &mut memory));
                }
            };
            std::thread::Builder::new().name(format!("password-{i}")).spawn(work).expect("starting a password thread");
        }
        queue
    })
}

/// [`verify_password`] with Argon2's memory blocks in `memory` (grown to
/// what the hash's parameters need, then reused).
fn verify_in(hash: &str, password: &str, memory: &mut Vec<argon2::Block>) -> bool {
    use argon2::{Algorithm, Params, Version};
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return false };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(parsed.algorithm), Params::try_from(&parsed)) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(version)) => version,
        Some(Err(_)) => return false,
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    memory.resize(params.block_count(), argon2::Block::new());
    let argon2 = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    argon2.hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..]).is_ok()
        // (`Output`'s comparison takes the same time wherever they differ.)
        && argon2::password_hash::Output::new(&out).is_ok_and(|out| out == expected)
}

/// A hash that no password matches, checked for unknown names so that a
/// wrong name takes as long as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_hex()))
}

/// Why a new password is refused, if it is.
pub fn password_problem(password: &str) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Some(format!("a password needs at least {MIN_PASSWORD_CHARS} characters"))
    } else if password.trim().is_empty() {
        Some("a password of only spaces is too easy to guess".into())
    } else {
        None
    }
}

/// 256 random bits from the operating system, as 64 hex digits.
pub fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the operating system's random source");
    hex(&bytes)
}

/// A new API token: [`TOKEN_PREFIX`] and 256 random bits.
pub fn new_api_token() -> String {
    format!("{TOKEN_PREFIX}{}", random_hex())
}

/// What is stored of a token: its SHA-256, in hex. A token has 256 random
/// bits, so a fast hash is enough (nothing to guess offline).
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)] as char, DIGITS[usize::from(b & 15)] as char]).collect()
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// A user name: 1-64 characters, letters, digits and `.-_@`.
pub fn name_problem(name: &str) -> Option<&'static str> {
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'));
    (!ok).then_some("a name is 1-64 letters, digits, '.', '-', '_' or '@'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_a_salt() {
        let hash = hash_password("correct horse battery");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains("correct"));
        assert!(verify_password(&hash, "correct horse battery"));
        assert!(!verify_password(&hash, "correct horse batter"));
        assert!(!verify_password("not a hash", "anything"));
        assert_ne!(hash, hash_password("correct horse battery"), "salted");
        assert!(!verify_password(dummy_hash(), ""));
    }

    #[test]
    fn checks_in_reused_memory_agree_with_the_crate_s_own() {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let small = argon2::Params::new(8, 1, 1, None).unwrap();
        let salt = SaltString::encode_b64(b"a salt of 16 b.").unwrap();
        let other = Argon2::new(argon2::Algorithm::Argon2i, argon2::Version::V0x10, small)
            .hash_password(b"pw of another kind", &salt)
            .unwrap()
            .to_string();
        let default = hash_password("correct horse battery");
        let mut memory = Vec::new();
        for (hash, password) in [
            (default.as_str(), "correct horse battery"),
            (default.as_str(), "correct horse batter"),
            (other.as_str(), "pw of another kind"),
            (other.as_str(), "pw of another kin"),
            (default.as_str(), "correct horse battery"),
            ("not a hash", "anything"),
            ("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ", "no hash part"),
            (dummy_hash(), ""),
        ] {
            assert_eq!(verify_in(hash, password, &mut memory), verify_password(hash, password), "{hash} {password}");
        }
        assert!(verify_in(&other, "pw of another kind", &mut memory), "memory sized down and up again");
    }

    #[test]
    fn passwords_need_twelve_characters_not_all_spaces() {
        assert_eq!(password_problem("twelve chars"), None);
        assert_eq!(password_problem("  a  b  c  d "), None);
        assert!(password_problem("eleven char").unwrap().contains("12 characters"));
        for blank in [" ".repeat(12), "\t".repeat(20), "\u{3000}".repeat(12)] {
            assert!(password_problem(&blank).unwrap().contains("only spaces"), "{blank:?}");
        }
    }

    #[test]
    fn tokens_are_random_and_stored_as_hashes() {
        let (a, b) = (new_api_token(), new_api_token());
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 64);
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(cookie("a=1; feedback_inbox=x.y; b=2", COOKIE), Some("x.y"));
        assert_eq!(cookie("a=1", COOKIE), None);
    }

    #[test]
    fn roles_scopes_and_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("Admin"), None);
        let ada = Scope::Agents(vec!["agent-ada".into()]);
        assert!(ada.allows(Some("agent-ada")));
        assert!(!ada.allows(Some("agent-grace")) && !ada.allows(None));
        assert!(!Scope::default().allows(Some("agent-ada")), "a forgotten scope shows nothing");
        assert!(Scope::Everything.allows(None));
        assert!(name_problem("ada.lovelace@example").is_none());
        for bad in ["", "a b", "x\u{0}", &"n".repeat(65), "a/b"] {
            assert!(name_problem(bad).is_some(), "{bad:?}");
        }
        assert!(password_problem("short").is_some() && password_problem("twelve chars").is_none());
    }
}
