"""Renderers: compiler-style diagnostics, JSON, and the long-form explanation."""
