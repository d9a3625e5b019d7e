# SPDX-License-Identifier: LGPL-2.1-or-later
"""The Battle for Wesnoth: where each track of wesnoth-1.16-music plays, from
the scenario and campaign files of wesnoth-1.16-data and of the campaign
packages (wesnoth-1.16-*), and from the game's own playlists."""

import collections
import os
import re

from ..game import Game
from ..tracks import apply_tags, in_dir
from ..walk import CORPUS, companion, read_text
from ..wording import humanize, join_and, plural, such_as

GAME = Game(
    package='wesnoth-1.16-music',
    name='The Battle for Wesnoth',
    # wesnoth-1.16: "fantasy turn-based strategy game"
    style='a fantasy turn-based strategy game',
    license_rule=(
        'GPL-2.0-or-later',
        [
            (
                'usr/share/doc/wesnoth-1.16-music/copyright',
                r'GNU General Public License version 2 or at your option any later version',
            ),
        ],
    ),
)


def describe(tracks, root):
    """Scenario and campaign files of wesnoth-1.16-data and the campaign
    packages: which scenarios play a track as their main music, in their
    playlist, in their story introduction or during events, and whether those
    scenarios are underground or at night."""
    tracks[:] = [t for t in tracks if in_dir(t, 'music')]
    by_name = {os.path.basename(t.path): t for t in tracks}
    base = 'usr/share/games/wesnoth/1.16/data'
    companion('wesnoth-1.16-data', 'wesnoth-1.16-music')
    trees = sorted(d for d in os.listdir(CORPUS) if d.startswith('wesnoth-1.16-'))
    for d in trees:
        if d != 'wesnoth-1.16-music':
            companion(d, 'wesnoth-1.16-music')

    def cfg_files():
        for d in trees:
            top = os.path.join(CORPUS, d, base)
            for dirpath, dirnames, filenames in os.walk(top):
                dirnames.sort()
                for fn in sorted(filenames):
                    if fn.endswith('.cfg'):
                        yield os.path.join(dirpath, fn), os.path.relpath(
                            os.path.join(dirpath, fn), top
                        )

    campaigns = {}
    for path, rel in cfg_files():
        m = re.match(r'campaigns/([^/]+)/_main\.cfg$', rel)
        if m:
            c = re.search(r'\[campaign\].*?\bname\s*=\s*_?\s*"([^"]+)"', read_text(path), re.S)
            if c:
                campaigns[m.group(1)] = c.group(1)

    uses = collections.defaultdict(
        lambda: collections.defaultdict(list)
    )  # track -> role -> [(scenario, campaign, flags)]
    ogg = re.compile(r'([A-Za-z0-9_-]+\.ogg)')
    for path, rel in cfg_files():
        m = re.match(r'(campaigns/([^/]+)/scenarios/|multiplayer/scenarios/)', rel)
        if not m:
            continue
        campaign = (
            campaigns.get(m.group(2), humanize(m.group(2) or '')) if m.group(2) else 'multiplayer'
        )
        stack, name, event, flags, found = [], None, None, set(), []
        default_schedule = False
        night = False
        for line in read_text(path).split('\n'):
            s = line.strip()
            if s.startswith('#') or not s:
                continue
            o = re.match(r'\[\+?([a-z_]+)\]', s)
            c = re.match(r'\[/([a-z_]+)\]', s)
            if o:
                stack.append(o.group(1))
                if o.group(1) == 'event':
                    event = None
                continue
            if c:
                if stack:
                    stack.pop()
                continue
            depth1 = len(stack) == 1 and stack[0] in ('scenario', 'multiplayer')
            if depth1 and name is None:
                n = re.match(r'name\s*=\s*_\s*"([^"]+)"', s)
                if n:
                    name = n.group(1)
            if stack and stack[-1] == 'event' and event is None:
                e = re.match(r'name\s*=\s*"?([^"#]+)"?', s)
                if e:
                    event = e.group(1).strip().split(',')[0].strip()
            inside = (
                'event'
                if 'event' in stack
                else ('story' if 'story' in stack or 'part' in stack else 'top')
            )
            for macro, args in re.findall(r'\{([A-Z_]+)\s*([^{}]*)\}', s):
                names = ogg.findall(args)
                if macro in ('UNDERGROUND', 'DEEP_UNDERGROUND') and depth1:
                    flags.add('underground')
                elif macro.startswith('DEFAULT_SCHEDULE') or macro.endswith('_SCHEDULE'):
                    default_schedule = True
                elif macro in ('FIRST_WATCH', 'SECOND_WATCH') and depth1:
                    night = True
                elif macro == 'SCENARIO_MUSIC' and names:
                    found.append((names[0], 'main', None))
                elif macro == 'INTRO_AND_SCENARIO_MUSIC' and len(names) >= 2:
                    found.append((names[0], 'intro', None))
                    found.append((names[1], 'main', None))
                elif macro in ('EXTRA_SCENARIO_MUSIC', 'APPEND_MUSIC'):
                    found += [(n, 'playlist', None) for n in names]
                elif macro in (
                    'INCIDENTAL_MUSIC',
                    'REPLACE_SCENARIO_MUSIC',
                    'MUSIC',
                    'INTRO_MUSIC',
                ):
                    role = (
                        'intro'
                        if macro == 'INTRO_MUSIC' or inside == 'story'
                        else ('event' if inside == 'event' else 'playlist')
                    )
                    found += [(n, role, event) for n in names]
            k = re.match(r'(victory_music|defeat_music|music|name)\s*=\s*"?([^"#]*)', s)
            if k:
                key, value = k.groups()
                names = ogg.findall(value)
                if key in ('victory_music', 'defeat_music'):
                    found += [(n, key.split('_')[0], None) for n in names]
                elif key == 'music' and inside == 'story':
                    found += [(n, 'intro', None) for n in names]
                elif key == 'name' and stack and stack[-1] == 'music':
                    role = (
                        'event'
                        if inside == 'event'
                        else ('intro' if inside == 'story' else 'playlist')
                    )
                    found += [(n, role, event) for n in names]
        if night and not default_schedule:
            flags.add('night')
        scenario = name or humanize(os.path.splitext(os.path.basename(rel))[0])
        for n, role, ev in found:
            if n in by_name:
                uses[n][role].append((scenario, campaign, frozenset(flags), ev))

    # The playlists of the game itself.
    def macro_body(text, name):
        m = re.search(r'#define %s\b(.*?)#enddef' % name, text, re.S)
        return m.group(1) if m else ''

    sound_utils = os.path.join(CORPUS, 'wesnoth-1.16-data', base, 'core/macros/sound-utils.cfg')
    default_playlist = (
        set(ogg.findall(macro_body(read_text(sound_utils), 'DEFAULT_MUSIC_PLAYLIST_NO_EVENT')))
        if os.path.exists(sound_utils)
        else set()
    )
    core_main = os.path.join(CORPUS, 'wesnoth-1.16-data', base, 'core/_main.cfg')
    title_screen = set()
    if os.path.exists(core_main):
        m = re.search(
            r'\[titlescreen_music\](.*?)\[/titlescreen_music\]', read_text(core_main), re.S
        )
        if m:
            title_screen = set(ogg.findall(re.sub(r'\{[A-Z_]+\}', '', m.group(1))))
    game_config = os.path.join(CORPUS, 'wesnoth-1.16-data', base, 'game_config.cfg')
    title_music = set()
    if os.path.exists(game_config):
        m = re.search(r'title_music\s*=\s*"([^"]*)"', read_text(game_config))
        if m:
            title_music = set(ogg.findall(m.group(1)))

    event_words = {
        'last breath': "at a character's last breath",
        'last_breath': "at a character's last breath",
        'die': 'when a character dies',
        'victory': 'at victory',
        'enemies defeated': 'when the enemies are defeated',
        'time over': 'when time runs out',
        'defeat': 'at defeat',
    }
    src = 'scenario files (.cfg)'
    for t in tracks:
        apply_tags(t, 'Wesnoth')
        n = os.path.basename(t.path)
        if n in title_music:
            t.kind = 'title screen'
            t.sources.add('game configuration (game_config.cfg)')
        elif n in title_screen:
            t.add('played at the title screen', 'game configuration (core/_main.cfg)')
        u = uses.get(n, {})
        main = sorted(
            set((s, c, f) for s, c, f, _ in u.get('main', [])),
            key=lambda x: (not x[2], x[1] == 'multiplayer', x[1], x[0]),
        )
        if main:
            under = sum('underground' in f for _, _, f in main)
            night = sum('night' in f for _, _, f in main)
            extra = []
            if under:
                extra.append('%d underground' % under)
            if night:
                extra.append('%d at night' % night)
            names = [
                "'%s' (%s)" % (s, c if c != 'multiplayer' else 'a multiplayer map')
                for s, c, _ in main
            ]
            if len(main) == 1:
                t.add(
                    'main theme of the scenario %s%s'
                    % (names[0], ', underground' if under else ', at night' if night else ''),
                    src,
                )
            else:
                t.add(
                    'main theme of %d scenarios%s such as %s'
                    % (len(main), ' (%s)' % ', '.join(extra) if extra else '', join_and(names[:2])),
                    src,
                )
        intro = set((s, c) for s, c, _, _ in u.get('intro', []))
        if intro:
            t.add('behind the story introduction of %s' % plural(len(intro), 'scenario'), src)
        evs = collections.Counter()
        for s, c, f, ev in u.get('event', []):
            phrase = event_words.get((ev or '').lower())
            if phrase:
                evs[phrase] += 1
        for phrase, count in sorted(evs.items(), key=lambda x: (-x[1], x[0])):
            t.add('%s in %s' % (phrase, plural(count, 'scenario')), src)
        for role in ('victory', 'defeat'):
            if u.get(role):
                t.add(
                    'played at %s in %s'
                    % (role, such_as([s for s, _, _, _ in u[role]], 'scenario')),
                    src,
                )
        pl = set((s, c) for s, c, _, _ in u.get('playlist', [])) - set((s, c) for s, c, _ in main)
        if pl and not main:
            t.add('in the playlists of %s' % plural(len(pl), 'scenario'), src)
        if n in default_playlist and not main:
            t.add(
                'in the default in-game playlist',
                'game configuration (core/macros/sound-utils.cfg)',
            )
