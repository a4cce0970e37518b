//! The `waba-mock` binary: its start-up line, flags, and clean exit on SIGTERM/SIGINT.

#![cfg(unix)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_waba-mock");

struct Mock {
    child: Child,
    line: Value,
}

impl Mock {
    /// Starts the binary and reads its first stdout line (bounded by a timeout).
    fn start(args: &[&str]) -> Mock {
        let mut child = Command::new(BIN)
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("start-up line within 60 s");
        let line: Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}"));
        Mock { child, line }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/v26.0/{path}", self.line["base_url"].as_str().unwrap())
    }

    fn token(&self) -> &str {
        self.line["access_token"].as_str().unwrap()
    }

    /// Sends a signal and waits (bounded) for the exit status.
    fn stop(mut self, signal: &str) -> ExitStatus {
        let ok = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the mock did not exit after {signal}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        // Only reached on a failed test; `stop` has normally reaped the child.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn get(url: &str, token: &str) -> (u16, Value) {
    let r = reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn startup_line_then_serves_until_sigterm() {
    let mock = Mock::start(&[]);
    let line = mock.line.as_object().unwrap();
    let mut keys: Vec<&str> = line.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "access_token",
            "app_secret",
            "base_url",
            "business_id",
            "user_ids",
            "waba_ids"
        ]
    );
    assert_eq!(line["access_token"], "mock-access-token");
    assert_eq!(line["app_secret"], "mock-app-secret");
    assert_eq!(line["business_id"], "100000000000001");
    assert_eq!(line["waba_ids"].as_array().unwrap().len(), 3);
    assert_eq!(line["user_ids"].as_array().unwrap().len(), 60);
    assert!(
        line["base_url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );

    let waba = line["waba_ids"][0].as_str().unwrap();
    let (status, body) = get(&mock.url(waba), mock.token()).await;
    assert_eq!((status, body["id"].as_str()), (200, Some(waba)));
    assert!(mock.stop("-TERM").success());
}

#[tokio::test]
async fn sigint_exits_cleanly_too() {
    let mock = Mock::start(&[]);
    assert!(mock.stop("-INT").success());
}

#[tokio::test]
async fn flags_seed_proof_throttle_users_and_scripted_faults() {
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.yaml");
    std::fs::write(
        &seed,
        "access_token: tok\napp_secret: sec\nbusiness_id: '11'\nwaba_ids: ['22', '23']\nuser_ids: ['33', '34']\n",
    )
    .unwrap();
    let mock = Mock::start(&[
        "--seed",
        seed.to_str().unwrap(),
        "--users",
        "150",
        "--throttle-after",
        "3",
        "--fail-next",
        "server_error:1:ListAssignedUsers",
        "--require-appsecret-proof",
    ]);
    assert_eq!(mock.line["access_token"], "tok");
    assert_eq!(mock.line["waba_ids"], json!(["22", "23"]));
    assert_eq!(mock.line["user_ids"], json!(["33", "34"]));

    let proof = waba_mock::appsecret_proof("sec", "tok");
    let users = mock.url("22/assigned_users");
    let with_proof =
        |extra: &str| format!("{users}?business=11&summary=true&appsecret_proof={proof}{extra}");
    // Faults come before auth, as a proxy's would.
    assert_eq!(
        get(&format!("{users}?business=11"), "tok").await.0,
        500,
        "--fail-next"
    );
    assert_eq!(
        get(&format!("{users}?business=11"), "tok").await.1["error"]["code"],
        100,
        "proof required"
    );
    let (status, body) = get(&with_proof(""), "tok").await;
    assert_eq!(
        (status, &body["summary"]["total_count"]),
        (200, &json!(150)),
        "{body}"
    );
    assert_eq!(get(&with_proof("&limit=1"), "tok").await.0, 200);
    assert_eq!(get(&with_proof("&limit=2"), "tok").await.0, 200);
    assert_eq!(
        get(&with_proof(""), "tok").await.1["error"]["code"],
        80008,
        "--throttle-after 3"
    );
    // Clearing the faults lifts the throttle in effect too.
    let control = format!("{}/__mock/faults", mock.line["base_url"].as_str().unwrap());
    let cleared = reqwest::Client::new()
        .delete(&control)
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), 204);
    assert_eq!(get(&with_proof(""), "tok").await.0, 200, "throttle lifted");

    // A scripted throttle with its regain time.
    let mock2 = Mock::start(&["--fail-next", "throttle=9:1:GetWhatsAppBusinessAccount"]);
    let waba = mock2.line["waba_ids"][0].as_str().unwrap().to_string();
    let r = reqwest::Client::new()
        .get(mock2.url(&waba))
        .bearer_auth(mock2.token())
        .send()
        .await
        .unwrap();
    let usage: serde_json::Value =
        serde_json::from_str(r.headers()["x-business-use-case-usage"].to_str().unwrap()).unwrap();
    assert_eq!(usage[&waba][0]["estimated_time_to_regain_access"], 9);
    assert!(mock2.stop("-TERM").success());
    assert!(mock.stop("-TERM").success());
}

#[test]
fn help_lists_the_control_api() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for endpoint in [
        "GET    /__mock/seed",
        "POST   /__mock/faults",
        "DELETE /__mock/faults ",
        "PUT    /__mock/faults/throttle",
        "GET    /__mock/objects/{id}/{edge}",
        "throttle=MINUTES",
    ] {
        assert!(text.contains(endpoint), "--help lacks {endpoint}:\n{text}");
    }
    let (status, err) = run_to_end(&["--fail-next", "drop=3"]);
    assert_eq!(status.code(), Some(2));
    assert!(
        err.contains("only latency=MS and throttle=MINUTES"),
        "{err}"
    );
}

#[tokio::test]
async fn random_fault_flags_are_reproducible() {
    let run = || async {
        let mock = Mock::start(&[
            "--fault",
            "server_error=0.4",
            "--fault-seed",
            "9",
            "--latency-ms",
            "0-2",
        ]);
        let url = mock.url(mock.line["waba_ids"][0].as_str().unwrap());
        let mut statuses = Vec::new();
        for _ in 0..20 {
            statuses.push(get(&url, mock.token()).await.0);
        }
        assert!(mock.stop("-TERM").success());
        statuses
    };
    let a = run().await;
    assert!(a.contains(&500) && a.contains(&200), "{a:?}");
    assert_eq!(a, run().await);
}

fn run_to_end(args: &[&str]) -> (ExitStatus, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (child.wait().unwrap(), err)
}

#[test]
fn bad_spec_or_flags_exit_non_zero_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("graph.yaml"), "version: [not, a, string]\n").unwrap();
    let (status, err) = run_to_end(&["--spec", dir.path().to_str().unwrap()]);
    assert!(!status.success());
    assert!(err.contains("spec:") && err.contains("graph.yaml"), "{err}");

    let (status, err) = run_to_end(&["--bogus"]);
    assert_eq!(status.code(), Some(2));
    assert!(err.contains("unknown argument `--bogus`"), "{err}");
    let (status, err) = run_to_end(&["--fault", "meteor=0.1"]);
    assert_eq!(status.code(), Some(2));
    assert!(err.contains("unknown fault kind `meteor`"), "{err}");
    let (status, err) = run_to_end(&["--fault", "drop=0.7", "--fault", "server_error=0.7"]);
    assert_eq!(status.code(), Some(2));
    assert!(err.contains("sum"), "{err}");
    let (status, err) = run_to_end(&["--rate-limit", "5", "--time-scale", "-1"]);
    assert_eq!(status.code(), Some(2));
    assert!(err.contains("time_scale"), "{err}");
    let (status, err) = run_to_end(&["--object-limit", "22"]);
    assert_eq!(status.code(), Some(2));
    assert!(err.contains("ID=N"), "{err}");
    let (status, _) = run_to_end(&["--help"]);
    assert!(status.success());
}

#[tokio::test]
async fn rate_limit_flags() {
    // A stopped clock: the third call is over the allowance for the whole hour.
    let mock = Mock::start(&[
        "--rate-limit",
        "2",
        "--time-scale",
        "0",
        "--object-limit",
        "200000000000002=3",
    ]);
    let [w1, w2] = [0, 1].map(|i| mock.line["waba_ids"][i].as_str().unwrap().to_string());
    let codes = |w: String, n: usize| {
        let url = mock.url(&w);
        let token = mock.token().to_string();
        async move {
            let mut codes = Vec::new();
            for _ in 0..n {
                codes.push(
                    get(&url, &token).await.1["error"]["code"]
                        .as_i64()
                        .unwrap_or(0),
                );
            }
            codes
        }
    };
    assert_eq!(codes(w1, 3).await, [0, 0, 80008]);
    assert_eq!(codes(w2, 4).await, [0, 0, 0, 80008]);
}
