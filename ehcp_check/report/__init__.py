"""Renderers: turn a verdict table or an audit result into text, tables, JSON, CSV, XLSX."""
