"""Outfits: the palettes and a random outfit for a new agent."""

from __future__ import annotations

import random
from typing import get_args

from isomux.domain.model import Accessory, Beard, HairStyle, Hat, Outfit

SHIRTS = ("#4f7cac", "#e07a5f", "#81b29a", "#f2cc8f", "#9b72cf", "#3d405b", "#e56b9f", "#5fb7c9")
HAIR = ("#2b1d14", "#5a3825", "#a0522d", "#d9a566", "#f3e0a1", "#9e9e9e", "#c0392b", "#1f3a5f")
SKIN = ("#fbe0cc", "#f1c6a5", "#d9a27c", "#a8714f", "#6f4a32")


def random_outfit(rng: random.Random) -> Outfit:
    return Outfit(
        hat=rng.choice([h for h in get_args(Hat) if rng.random() < 0.5 or h == "none"]),
        shirt=rng.choice(SHIRTS),
        hair=rng.choice(HAIR),
        hair_style=rng.choice(get_args(HairStyle)),
        skin=rng.choice(SKIN),
        beard=rng.choice(get_args(Beard)) if rng.random() < 0.35 else "none",
        accessory=rng.choice(get_args(Accessory)) if rng.random() < 0.6 else "none",
    )
