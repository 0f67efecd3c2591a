"""Independent reference implementations ("oracles") that tests compare the product against."""
