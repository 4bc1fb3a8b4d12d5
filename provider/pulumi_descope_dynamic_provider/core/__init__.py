"""What every resource provider shares: the field specs, checks, snapshot and provider base."""
