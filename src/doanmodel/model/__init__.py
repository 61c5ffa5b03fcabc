"""The vocabulary: entities, enums, dates and periods, bilingual text, dated parameters."""
