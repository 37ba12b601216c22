"""The DPO's compliance report, rendered on every nightly run."""
