"""Calculation: formulas, consolidation, validation rules, methodologies (``methods/``).
Uses model, library and store; never collect, report or web."""
