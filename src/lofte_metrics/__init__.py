"""lofte-metrics: follow-up of a medborgarlöfte and the shared lägesbild."""

__version__ = "0.1.0"
