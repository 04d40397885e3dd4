//! End-to-end tests of Fakturo live in `e2e/` as one test binary: each test
//! starts the real application in-process on port 0 (through the same
//! `Application::build_with_clock` that `main` uses) on SQLite and on
//! PostgreSQL, and talks to it over HTTP.
