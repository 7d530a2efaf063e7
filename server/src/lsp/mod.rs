//! The language server: the only module that knows LSP. A thin skin over
//! `index`, `rules` and `report`; one file per handler family, `ext.rs` for
//! the `devopsIntel/*` requests (documented in `docs/lsp-extensions.md`).

mod capabilities;
mod code_action;
mod convert;
mod diagnostics;
mod ext;
mod hover;
mod server;
mod state;
mod sync;
mod workspace;

pub use ext::EXTENSION_METHODS;
pub use server::Server;

use tower_lsp_server::{LspService, Server as Transport};

/// Serves LSP over stdin/stdout until `exit`.
pub fn run_stdio() {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return;
        }
    };
    runtime.block_on(async {
        let stdin = tokio::io::stdin();
        let stdout = tokio::io::stdout();
        let (service, socket) = LspService::build(Server::new)
            .custom_method(ext::STATUS, Server::status)
            .custom_method(ext::DOCUMENT_STATE, Server::document_state)
            .finish();
        Transport::new(stdin, stdout, socket).serve(service).await;
    });
}
