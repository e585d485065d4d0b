"""Language front ends: one module (or package) per source language."""
