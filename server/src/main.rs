//! `cargo run -p orgperm-server -- [MODEL.json] [ADDR]`: serves the model (the sample org
//! `examples/data/acme.json` by default) on ADDR (default 127.0.0.1:8080).

use orgperm::{Engine, Model};

const SAMPLE: &str = include_str!("../../examples/data/acme.json");

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let text = match args.next() {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("cannot read {path}: {e}");
                std::process::exit(2);
            }
        },
        None => SAMPLE.to_owned(),
    };
    let model = match Model::from_json(&text) {
        Ok(model) => model,
        Err(e) => {
            eprintln!("invalid model: {e}");
            std::process::exit(2);
        }
    };
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {addr}: {e}");
            std::process::exit(2);
        }
    };
    eprintln!("serving {} users on http://{addr}", model.user_count());
    let app = orgperm_server::App::new(Engine::new(model));
    if let Err(e) = axum::serve(listener, orgperm_server::router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
