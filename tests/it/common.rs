//! Helpers shared by the test modules.
#![allow(dead_code)]
