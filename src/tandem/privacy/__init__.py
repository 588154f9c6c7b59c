"""Privacy: secrets found and removed from customer messages before they are kept."""
