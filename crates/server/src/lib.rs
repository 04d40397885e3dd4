//! Fakturo's server: configuration, wiring of adapters into the domain's
//! ports, the HTTP interface and the operator tasks. `main` only bootstraps
//! through [`Application::build`], exactly as the end-to-end tests do.

pub mod adapters;
mod application;
pub mod documents;
pub mod http;
pub mod ops;
pub mod settings;
pub mod telemetry;
pub mod workers;

pub use application::{Application, StartError, Wiring, wire_on};
pub use settings::Settings;
