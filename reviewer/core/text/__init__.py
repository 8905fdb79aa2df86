"""The words of a case: normalised text, entities (dates, reference numbers, amounts, watched terms)."""
