//! doorlog: the desk program at the door hatch of a low-threshold drop-in
//! centre. The binary is a thin shell over this library so tests and
//! benchmarks use the same code.

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod files;
pub mod i18n;
pub mod logfile;
pub mod report;
pub mod store;
pub mod ui;
