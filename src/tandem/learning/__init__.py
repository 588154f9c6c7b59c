"""Human resolutions become reviewed knowledge and training data."""
