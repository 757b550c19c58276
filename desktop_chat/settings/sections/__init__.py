"""The settings sections, declared by area; ``settings.schema`` assembles them."""
