//! The real binary, as the tests that drive it start it: a receiver on a
//! free port (killed when dropped), the command line, signing in through
//! the form, and every row of every table as text.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};

use feedback_receiver::config::Database;
use reqwest::StatusCode;
use serde_json::Value;

use super::client;

pub const BIN: &str = env!("CARGO_BIN_EXE_feedback-receiver");
pub const ADMIN_PASSWORD: &str = "admin password, long enough";

pub fn database_args(database: &Database) -> Vec<String> {
    match database {
        Database::Sqlite(path) => vec!["--db".into(), path.display().to_string()],
        Database::Postgres(url) => vec!["--database-url".into(), url.clone()],
    }
}

/// The binary serving on a free port; killed when dropped.
pub struct Receiver {
    pub child: Child,
    pub url: String,
    logs: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Receiver {
    pub fn start(database: &Database, extra: &[&str]) -> Receiver {
        let (mut child, url) = super::spawn_listening(
            Command::new(BIN)
                .args(["--listen", "127.0.0.1:0", "--rate-limit", "0", "--allow-origin", "*", "--trust-proxy"])
                .args(["--inbox-password", ADMIN_PASSWORD])
                .args(database_args(database))
                .args(extra),
        );
        let logs = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let sink = logs.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&line);
                sink.lock().unwrap().push('\n');
            }
        });
        Receiver { child, url, logs }
    }

    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `feedback-receiver ARGS` against `database`, with `stdin` as its input.
pub fn cli(database: &Database, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .args(database_args(database))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

pub fn cli_ok(database: &Database, args: &[&str], stdin: &str) -> String {
    let out = cli(database, args, stdin);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Signs `name` in through the form, from `client_ip`; the session cookie.
pub async fn sign_in(url: &str, name: &str, password: &str) -> String {
    let r = client().post(format!("{url}/login")).form(&[("name", name), ("password", password)]).send().await.unwrap();
    assert_eq!(r.status(), 303, "{name} signs in");
    r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned()
}

pub async fn status_with_cookie(url: &str, path: &str, cookie: &str) -> StatusCode {
    client().get(format!("{url}{path}")).header("cookie", cookie).send().await.unwrap().status()
}

pub async fn post_answer(url: &str, payload: Value) {
    let r = client().post(format!("{url}/collect")).json(&payload).send().await.unwrap();
    assert!(r.status().is_success(), "{payload}: {}", r.status());
}

/// Every row of every table, as text.
pub async fn every_row(database: &Database) -> String {
    let mut all = String::new();
    match database {
        Database::Sqlite(path) => {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display())).await.unwrap();
            let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
                .fetch_all(&pool)
                .await
                .unwrap();
            for table in tables {
                let columns: Vec<String> =
                    sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
                        .fetch_all(&pool)
                        .await
                        .unwrap();
                let concat = columns
                    .iter()
                    .map(|c| format!("COALESCE(CAST(\"{c}\" AS TEXT), '')"))
                    .collect::<Vec<_>>()
                    .join(" || '|' || ");
                let rows: Vec<Vec<u8>> = sqlx::query_scalar(&format!("SELECT CAST({concat} AS BLOB) FROM \"{table}\""))
                    .fetch_all(&pool)
                    .await
                    .unwrap();
                let rows: Vec<String> = rows.iter().map(|r| String::from_utf8_lossy(r).into_owned()).collect();
                all.push_str(&format!("[{table}]\n{}\n", rows.join("\n")));
            }
            pool.close().await;
        }
        Database::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            let tables: Vec<String> =
                sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'")
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            for table in tables {
                let rows: Vec<String> =
                    sqlx::query_scalar(&format!("SELECT t::text FROM \"{table}\" t")).fetch_all(&pool).await.unwrap();
                all.push_str(&format!("[{table}]\n{}\n", rows.join("\n")));
            }
            pool.close().await;
        }
    }
    all
}
