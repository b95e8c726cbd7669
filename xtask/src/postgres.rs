//! A throwaway PostgreSQL for the receiver's tests: Debian's server
//! (installed with apt if missing), a new cluster in a temporary directory,
//! listening on 127.0.0.1 only on a free port, stopped and deleted when the
//! guard drops (also when a test fails).

use std::path::PathBuf;
use std::process::Command;

use crate::{run, Result};

pub struct TestPostgres {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    pub url: String,
}

/// The newest `/usr/lib/postgresql/<version>/bin` that has `initdb`.
fn server_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin): &(u32, PathBuf)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl TestPostgres {
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            // The server refuses to run as root.
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    pub fn start() -> Result<TestPostgres> {
        if server_bin().is_none() {
            crate::tools::apt_install(&["postgresql"])?;
        }
        let bin = server_bin().ok_or("PostgreSQL is installed but no initdb was found under /usr/lib/postgresql")?;
        let dir = std::env::temp_dir().join(format!("feedback-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let as_postgres = is_root();
        if as_postgres {
            run(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir))?;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("finding a free port: {e}"))?
            .port();
        let pg = TestPostgres { url: format!("postgres://feedback@127.0.0.1:{port}/postgres"), dir, bin, as_postgres };
        let data = pg.dir.join("data");
        run(pg
            .command("initdb")
            .args(["--no-sync", "--no-instructions", "-U", "feedback", "-A", "trust", "-E", "UTF8", "--locale=C", "-D"])
            .arg(&data)
            .stdout(std::process::Stdio::null()))?;
        // fsync off: a test cluster, thrown away after the run.
        let options = format!("-h 127.0.0.1 -p {port} -k {} -c fsync=off -c full_page_writes=off", pg.dir.display());
        run(pg
            .command("pg_ctl")
            .args(["-w", "-t", "60", "-D"])
            .arg(&data)
            .arg("-l")
            .arg(pg.dir.join("server.log"))
            .args(["-o", &options, "start"])
            .stdout(std::process::Stdio::null()))
        .inspect_err(|_| pg.print_log())?;
        eprintln!("postgres: test server at {} (data in {})", pg.url, data.display());
        Ok(pg)
    }

    /// Points `cargo` at this server for the receiver's tests, which then
    /// fail rather than skip if it is missing.
    pub fn serve_tests<'c>(&self, cargo: &'c mut Command) -> &'c mut Command {
        cargo.env("FEEDBACK_TEST_POSTGRES_URL", &self.url).env("FEEDBACK_REQUIRE_POSTGRES", "1")
    }

    fn print_log(&self) {
        if let Ok(log) = std::fs::read_to_string(self.dir.join("server.log")) {
            eprintln!("--- PostgreSQL log ---\n{log}");
        }
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let stopped = self
            .command("pg_ctl")
            .args(["-w", "-m", "fast", "-D"])
            .arg(self.dir.join("data"))
            .arg("stop")
            .stdout(std::process::Stdio::null())
            .status();
        if !stopped.is_ok_and(|s| s.success()) {
            eprintln!("postgres: pg_ctl stop failed; see {}", self.dir.display());
            return;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        eprintln!("postgres: test server stopped and removed");
    }
}
