# SPDX-License-Identifier: LGPL-2.1-or-later
"""The games: one module per Debian music package, each with GAME (a
game.Game: what the shared code needs to know) and describe(tracks, root).

describe gets the package's tracks, already read, and the package's tree;
it keeps only the tracks that are music (the game's music folders or music
definitions) and fills in what the game's own data says about each: kind,
title, where and when it plays. Each reads its game's files its own way, and
nothing else in the package knows about them."""

from . import (
    colobot,
    freedroid,
    fretsonfire,
    hedgewars,
    hyperrogue,
    megaglest,
    naev,
    nexuiz,
    openclonk,
    singularity,
    supertux,
    supertuxkart,
    warzone,
    wesnoth,
    widelands,
    zero_ad,
)

# Package name -> its module.
GAMES = {
    m.GAME.package: m
    for m in (
        colobot,
        freedroid,
        fretsonfire,
        hedgewars,
        hyperrogue,
        megaglest,
        naev,
        nexuiz,
        openclonk,
        singularity,
        supertux,
        supertuxkart,
        warzone,
        wesnoth,
        widelands,
        zero_ad,
    )
}
