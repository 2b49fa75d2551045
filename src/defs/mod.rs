//! Metric definitions. (Also the only module that reads YAML.)

pub mod yaml;
