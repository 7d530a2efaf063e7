//! The language server: the only module that knows LSP. A thin skin over
//! `index`, `rules` and `report`; one file per handler family, `ext.rs` for
//! the `devopsIntel/*` requests (documented in `docs/lsp-extensions.md`).

mod call_hierarchy;
mod capabilities;
mod code_action;
mod convert;
mod coverage;
mod diagnostics;
mod explain;
mod ext;
mod graph;
mod hover;
mod iac;
mod navigation;
mod server;
mod state;
mod sync;
mod testgen;
mod transport;
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
        let (server_in, proxy_in) = tokio::io::duplex(1 << 20);
        let (proxy_out, server_out) = tokio::io::duplex(1 << 20);
        let (errors_tx, errors_rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(transport::pump_input(
            tokio::io::stdin(),
            proxy_in,
            errors_tx,
        ));
        tokio::spawn(transport::pump_output(
            server_out,
            tokio::io::stdout(),
            errors_rx,
        ));
        let (service, socket) = LspService::build(Server::new)
            .custom_method(ext::STATUS, Server::status)
            .custom_method(ext::DOCUMENT_STATE, Server::document_state)
            .custom_method(graph::MODULE_GRAPH, Server::module_graph)
            .custom_method(graph::CALL_GRAPH, Server::call_graph)
            .custom_method(graph::IMPACT, Server::impact)
            .custom_method(graph::DATA_FLOW, Server::data_flow)
            .custom_method(ext::RESOURCE_GRAPH, Server::resource_graph)
            .custom_method(explain::EXPLAIN, Server::explain)
            .finish();
        Transport::new(server_in, proxy_out, socket)
            .serve(service)
            .await;
    });
    runtime.shutdown_background();
}
