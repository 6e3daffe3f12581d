"""Claims across the corpus that contradict each other: candidate generation,
queries and the reviewer's decisions on links."""
