//! Screens at small sizes and without colors: TestBackend frames.
