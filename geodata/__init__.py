"""The bundled demo city (Riverbend) and the deterministic script that builds it."""
