//! One integration test binary (one link step): the modules below share `util`.

mod commands;
mod import_fixtures;
mod import_real;
mod util;
