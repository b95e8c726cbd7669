//! Shared by the receiver's integration tests: a fresh database of each
//! kind, a running receiver, an HTTP client.
#![allow(dead_code)]

pub mod binary;
pub mod sinks;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use feedback_receiver::config::{Config, Database, Origins};

pub const PASSWORD: &str = "test-inbox-password";

/// Two tests from one async check taking a [`Fresh`] database:
/// `$name::sqlite` and `$name::postgres` (skipped without a server, see
/// [`postgres_url`]). Extra tokens go to `#[tokio::test(...)]`.
#[allow(unused_macros)]
macro_rules! on_both_databases {
    ($name:ident, $check:ident $(, $($test:tt)*)?) => {
        mod $name {
            #[tokio::test$(($($test)*))?]
            async fn sqlite() {
                super::$check(crate::support::sqlite()).await;
            }

            #[tokio::test$(($($test)*))?]
            async fn postgres() {
                if let Some(fresh) = crate::support::postgres().await {
                    super::$check(fresh).await;
                }
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use on_both_databases;

/// An empty database for one test: a SQLite file in a fresh directory, or
/// a new database on the test PostgreSQL. [`Fresh::drop_database`] removes
/// either.
pub struct Fresh {
    pub database: Database,
    dir: Option<PathBuf>,
    pg_name: Option<String>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A SQLite file in a fresh directory.
pub fn sqlite() -> Fresh {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("feedback-receiver-test-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Fresh { database: Database::Sqlite(dir.join("db.sqlite")), dir: Some(dir), pg_name: None }
}

/// The server the test command started (`FEEDBACK_TEST_POSTGRES_URL`).
/// Without one the PostgreSQL tests are skipped, unless
/// `FEEDBACK_REQUIRE_POSTGRES=1` (set by `cargo xtask test`) makes that
/// a failure.
pub fn postgres_url() -> Option<String> {
    match std::env::var("FEEDBACK_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("FEEDBACK_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "FEEDBACK_REQUIRE_POSTGRES=1 but FEEDBACK_TEST_POSTGRES_URL is not set"
            );
            eprintln!("skipped: no FEEDBACK_TEST_POSTGRES_URL (cargo xtask test starts a PostgreSQL)");
            None
        }
    }
}

/// A new, empty PostgreSQL database on the test server.
pub async fn postgres() -> Option<Fresh> {
    let url = postgres_url()?;
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let name = format!("feedback_test_{}_{n}", std::process::id());
    let admin = sqlx::postgres::PgPool::connect(&url).await.expect("connect to the test PostgreSQL");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
    admin.close().await;
    let (base, _) = url.rsplit_once('/').expect("a database URL has a path");
    Some(Fresh { database: Database::Postgres(format!("{base}/{name}")), dir: None, pg_name: Some(name) })
}

impl Fresh {
    pub fn config(&self) -> Config {
        Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            database: self.database.clone(),
            origins: Origins::List(vec!["https://shop.example".into()]),
            rate_limit: 0,
            inbox_password: Some(PASSWORD.into()),
            ..Config::default()
        }
    }

    pub async fn drop_database(self) {
        if let (Some(name), Some(url)) = (&self.pg_name, postgres_url()) {
            if let Ok(admin) = sqlx::postgres::PgPool::connect(&url).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&admin).await;
                admin.close().await;
            }
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A new API token named `name` (read and follow-up), created the way
/// `feedback-receiver token add` does.
pub async fn api_token(database: &Database, name: &str) -> String {
    let db = feedback_receiver::db::Db::open(database).await.unwrap();
    let token = feedback_receiver::auth::new_api_token();
    let hash = feedback_receiver::auth::token_hash(&token);
    assert!(db.add_token(name, &hash, false, feedback_receiver::clock::now_ms()).await.unwrap());
    db.close().await;
    token
}

/// A new API token with a name of its own.
pub async fn token(database: &Database) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    api_token(database, &format!("test-{}-{n}", std::process::id())).await
}

/// Spawns `command` (the receiver binary, or a shell that execs it) with
/// piped output and waits for its `listening on http://ADDR` line; the
/// child and its URL.
pub fn spawn_listening(command: &mut std::process::Command) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the receiver binary starts");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("listening on ").expect("the listening line").to_owned();
    (child, url)
}

/// A client that shows redirects instead of following them.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Makes the database refuse (`true`) or accept again (`false`) any
/// insert of the id `poison`, with a trigger: a write failure on demand.
pub async fn refuse_poison(database: &Database, refuse: bool) {
    let statements: &[&str] = match (database, refuse) {
        (Database::Sqlite(_), true) => &[
            "CREATE TRIGGER refuse BEFORE INSERT ON responses WHEN NEW.id = 'poison' BEGIN SELECT RAISE(ABORT, 'refused'); END",
        ],
        (Database::Sqlite(_), false) => &["DROP TRIGGER refuse"],
        (Database::Postgres(_), true) => &[
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.id = 'poison' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse BEFORE INSERT ON responses FOR EACH ROW EXECUTE FUNCTION refuse()",
        ],
        (Database::Postgres(_), false) => &["DROP TRIGGER refuse ON responses", "DROP FUNCTION refuse()"],
    };
    match database {
        Database::Sqlite(path) => {
            let pool = sqlx::sqlite::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
            for sql in statements {
                sqlx::query(sql).execute(&pool).await.unwrap();
            }
            pool.close().await;
        }
        Database::Postgres(url) => {
            let pool = sqlx::postgres::PgPool::connect(url).await.unwrap();
            for sql in statements {
                sqlx::query(sql).execute(&pool).await.unwrap();
            }
            pool.close().await;
        }
    }
}
