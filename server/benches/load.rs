//! `cargo bench -p feedback-receiver --bench load` (run by `cargo xtask
//! bench`): the release receiver in its own process on 127.0.0.1, SQLite
//! in a temporary file, posts per second from 32 keep-alive connections
//! for a fixed count, one post in ten a replay; then the row count is
//! checked against the 2xx answers. With FEEDBACK_TEST_POSTGRES_URL set,
//! the same against that PostgreSQL.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use feedback_receiver::config::Database;
use feedback_receiver::db::Db;

const POSTS: u64 = 100_000;
const CONNECTIONS: usize = 32;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let dir = std::env::temp_dir().join(format!("feedback-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = dir.join("load.sqlite");
    let mut targets =
        vec![("sqlite", Database::Sqlite(sqlite.clone()), vec!["--db".to_owned(), sqlite.display().to_string()])];
    if let Ok(url) = std::env::var("FEEDBACK_TEST_POSTGRES_URL") {
        let name = format!("feedback_load_{}", std::process::id());
        runtime.block_on(async {
            let admin = sqlx::postgres::PgPool::connect(&url).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin).await.unwrap();
        });
        let db_url = format!("{}/{name}", url.rsplit_once('/').unwrap().0);
        targets.push(("postgres", Database::Postgres(db_url.clone()), vec!["--database-url".to_owned(), db_url]));
    }
    for (name, database, args) in targets {
        let mut child = Command::new(env!("CARGO_BIN_EXE_feedback-receiver"))
            .args(["--listen", "127.0.0.1:0", "--rate-limit", "0", "--log-level", "error"])
            .args(&args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the receiver");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let addr = line.trim().trim_start_matches("listening on http://").parse().expect("the listening line");
        let report = runtime.block_on(feedback_receiver::load::run(addr, CONNECTIONS, POSTS, 10, "bench"));
        let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
        let _ = child.wait();
        let (rows, deliveries) = runtime.block_on(async {
            let db = Db::open(&database).await.unwrap();
            let counts = (db.count().await.unwrap() as u64, db.deliveries().await.unwrap() as u64);
            db.close().await;
            counts
        });
        println!(
            "receiver/{name}: {} posts over {CONNECTIONS} connections in {:.2?}: {:.0} posts/s; 2xx {} (replays {}), \
             other {:?}, errors {}; rows {rows} (= distinct ids: {}), deliveries {deliveries} (= 2xx: {})",
            report.posts,
            report.elapsed,
            report.per_second(),
            report.ok(),
            report.replays_acknowledged,
            report.statuses.iter().filter(|(s, _)| !(200..300).contains(*s)).collect::<Vec<_>>(),
            report.errors,
            rows == report.posts - report.replays_sent,
            deliveries == report.ok()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
