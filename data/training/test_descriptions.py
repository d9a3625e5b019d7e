#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Tests of make-descriptions.py and its corpus package.

The unit tests need nothing but the package, Debian's python3-mutagen and
python3-debian, and the demo clips in data/demo (tagged with TITLE and
ARTIST): their fixtures are made at test time in a temporary folder. The
regeneration test runs the whole script on the fetched corpus
(data/training/fetch-corpus.sh) and checks that descriptions.tsv and
SOURCES.md come out byte for byte as committed; without the corpus it is
skipped, since the corpus is 1.4 GB of downloads that CI need not make.

Run: data/training/test_descriptions.py (python3 -m unittest also works from
this folder).
"""

import difflib
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
# The package beside this file, also when run from elsewhere (python3 -m unittest).
sys.path.insert(0, HERE)

from corpus import licenses, sentences, tracks, walk, wording  # noqa: E402
from corpus.game import Game  # noqa: E402
from corpus.games import GAMES  # noqa: E402

DEMO = os.path.join(os.path.dirname(HERE), 'demo')


class TempDir(unittest.TestCase):
    """A temporary folder per test, for the fixtures."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='semblance-descriptions-')
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, rel, text):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        return path


class Games(unittest.TestCase):
    def test_one_module_per_package(self):
        modules = [
            f for f in os.listdir(os.path.join(HERE, 'corpus', 'games')) if f[0] != '_'
        ]
        self.assertEqual(len(GAMES), len(modules))
        for pkg, module in GAMES.items():
            self.assertEqual(module.GAME.package, pkg)
            self.assertTrue(callable(module.describe))


class Walk(TempDir):
    def test_control_field(self):
        self.write('DEBIAN/control', 'Package: x\nVersion: 1:1.16.9-1\nDescription: a\n b\n')
        self.assertEqual(walk.control_field(self.dir, 'Version'), '1:1.16.9-1')
        self.assertIsNone(walk.control_field(self.dir, 'Depends'))
        self.assertIsNone(walk.control_field(os.path.join(self.dir, 'none'), 'Version'))


class Wording(unittest.TestCase):
    def test_words_and_humanize(self):
        self.assertEqual(wording.words('mainMenu_theme-2'), ['main', 'menu', 'theme'])
        self.assertEqual(wording.humanize('mainMenu_2'), 'main Menu 2')
        self.assertEqual(wording.humanize('battle--theme__x'), 'battle theme x')

    def test_join_and(self):
        self.assertEqual(wording.join_and([]), '')
        self.assertEqual(wording.join_and(['a']), 'a')
        self.assertEqual(wording.join_and(['a', 'b']), 'a and b')
        self.assertEqual(wording.join_and(iter(['a', 'b', 'c'])), 'a, b and c')

    def test_plural(self):
        self.assertEqual(wording.plural(1, 'scenario'), '1 scenario')
        self.assertEqual(wording.plural(3, 'scenario'), '3 scenarios')
        self.assertEqual(wording.plural(2, 'city', 'cities'), '2 cities')

    def test_such_as(self):
        self.assertEqual(wording.such_as(['A'], 'level'), "the level 'A'")
        self.assertEqual(wording.such_as(['A', 'B', 'A'], 'level'), "the levels 'A' and 'B'")
        self.assertEqual(
            wording.such_as(['A', 'B', 'C'], 'level'), "3 levels such as 'A' and 'B'"
        )
        self.assertEqual(
            wording.such_as(['A', 'B', 'C'], 'area', limit=3), "the areas 'A', 'B' and 'C'"
        )

    def test_informative(self):
        self.assertFalse(wording.informative('Track 3', 'Naev'))
        self.assertFalse(wording.informative('Naev music', 'Naev'))
        self.assertFalse(wording.informative(None, 'Naev'))
        self.assertTrue(wording.informative('Ambiphonic', 'Naev'))

    def test_name_use(self):
        self.assertEqual(wording.name_use('mainmenu'), 'main menu')
        self.assertEqual(wording.name_use('boss_fight'), 'boss fight')
        self.assertEqual(wording.name_use('victory2'), 'victory')
        self.assertIsNone(wording.name_use('forest'))


class Licenses(TempDir):
    # A package whose installed data/ is the upstream data/ folder.
    GAME = Game(
        package='testgame-music',
        name='Test Game',
        style='a test',
        upstream=(('usr/share/games/testgame/', 'data/'),),
    )
    DEP5 = '''Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: testgame

Files: *
Copyright: 2020 The Test Game developers
License: GPL-2+

Files: ./data/music/*
Copyright: 2021 A Composer
 2022 Another Composer
License: CC-BY-SA-3.0 or GPL-3+

Files: data/music/unclear*.ogg
Copyright: Someone
License: CC-BY-SA

License: GPL-2+
 The GPL, version 2 or later.
'''

    def license(self, game, copyright_text):
        if copyright_text is not None:
            self.write('usr/share/doc/%s/copyright' % game.package, copyright_text)
        return licenses.License(game, self.dir)

    def test_spdx_expression(self):
        self.assertEqual(licenses.spdx_expression('GPL-2+'), 'GPL-2.0-or-later')
        self.assertEqual(
            licenses.spdx_expression('GPL-3 or CC-BY-3.0'), 'GPL-3.0-only OR CC-BY-3.0'
        )
        # Of alternatives the clear ones are kept; a conjunction needs all.
        self.assertEqual(licenses.spdx_expression('GPL or CC0'), 'CC0-1.0')
        self.assertIsNone(licenses.spdx_expression('GPL-2+ and CC-BY-SA'))
        self.assertEqual(
            licenses.spdx_expression('GPL-2+ and CC-BY-3.0'), 'GPL-2.0-or-later AND CC-BY-3.0'
        )
        self.assertIsNone(licenses.spdx_expression('public-domain'))

    def test_dep5_last_matching_stanza(self):
        lic = self.license(self.GAME, self.DEP5)
        self.assertTrue(lic.dep5)
        # The upstream path is data/music/a.ogg: './' patterns match it.
        self.assertEqual(
            lic.of('usr/share/games/testgame/music/a.ogg'), ('CC-BY-SA-3.0 OR GPL-3.0-or-later', '')
        )
        self.assertEqual(lic.of('usr/share/games/testgame/sounds/b.ogg'), ('GPL-2.0-or-later', ''))
        self.assertEqual(
            lic.of('usr/share/games/testgame/music/unclear1.ogg'),
            ('NOASSERTION', 'unclear license "CC-BY-SA"'),
        )
        self.assertEqual(lic.catch_all, {'usr/share/games/testgame/sounds/b.ogg'})
        self.assertEqual(
            list(lic.evidence.items()),
            [
                (
                    'Files: ./data/music/* / Copyright: 2021 A Composer 2022 Another Composer '
                    '/ License: CC-BY-SA-3.0 or GPL-3+',
                    'CC-BY-SA-3.0 OR GPL-3.0-or-later',
                ),
                (
                    'Files: * / Copyright: 2020 The Test Game developers / License: GPL-2+',
                    'GPL-2.0-or-later',
                ),
                (
                    'Files: data/music/unclear*.ogg / Copyright: Someone / License: CC-BY-SA',
                    'NOASSERTION',
                ),
            ],
        )

    def test_dep5_without_covering_stanza(self):
        text = self.DEP5.replace('Files: *\n', 'Files: doc/*\n')
        lic = self.license(self.GAME, text)
        self.assertEqual(
            lic.of('usr/share/games/testgame/sounds/b.ogg'),
            ('NOASSERTION', 'no Files stanza covers data/sounds/b.ogg'),
        )

    def test_not_machine_readable(self):
        text = 'This package was debianized by someone.\n\nIt is free: GPL, see below.\n'
        lic = self.license(self.GAME, text)
        self.assertFalse(lic.dep5)
        self.assertEqual(
            lic.of('usr/share/games/testgame/music/a.ogg'),
            ('NOASSERTION', 'copyright file is not machine-readable and has no rule here'),
        )

    def test_rule(self):
        rule = (
            'GPL-2.0-or-later',
            [
                ('usr/share/doc/testgame-music/copyright', r'version 2 or any later version'),
                ('usr/share/games/testgame/music/README', r'music is under the same license'),
            ],
        )
        game = Game(package='testgame-music', name='Test Game', style='a test', license_rule=rule)
        # Wording is found across line breaks and runs of spaces.
        lic = self.license(game, 'Licensed under the GPL,\n  version 2 or any later\nversion.\n')
        self.assertEqual(
            lic.of('usr/share/games/testgame/music/a.ogg'),
            ('NOASSERTION', 'wording not found in usr/share/games/testgame/music/README'),
        )
        self.write('usr/share/games/testgame/music/README', 'The music is under the same license.')
        self.assertEqual(lic.of('usr/share/games/testgame/music/a.ogg'), ('GPL-2.0-or-later', ''))
        self.assertEqual(
            list(lic.evidence),
            [
                'copyright: "version 2 or any later version"; '
                'usr/share/games/testgame/music/README: "music is under the same license"'
            ],
        )

    def test_no_copyright_file(self):
        lic = self.license(self.GAME, None)
        self.assertEqual(lic.of('x.ogg'), ('NOASSERTION', 'no copyright file'))


class Tags(TempDir):
    # What mutagen-inspect shows of the demo clips.
    CLIPS = {
        'sad.ogg': ('Sad', 'Tyler Johnson'),
        'battle.ogg': ('Battle Music', 'Aleksi Aubry-Carlson'),
        'nebula.ogg': ('Nebula', 'Maxstack'),
        'traveling-minstrels.ogg': ('Traveling Minstrels', 'Mattias Westlund'),
    }

    def test_demo_clips(self):
        for fn, (title, artist) in self.CLIPS.items():
            with self.subTest(fn):
                seconds, tags = tracks.read_audio(os.path.join(DEMO, fn))
                self.assertAlmostEqual(seconds, 20.0, places=1)
                self.assertEqual(tags, {'TITLE': [title], 'ARTIST': [artist]})

    def test_apply_tags_on_a_demo_clip(self):
        path = os.path.join(DEMO, 'battle.ogg')
        seconds, tags = tracks.read_audio(path)
        t = tracks.Track('demo', DEMO, 'music/battle.ogg', seconds, tags)
        tracks.apply_tags(t, 'Demo')
        self.assertEqual(t.title, 'Battle Music')
        self.assertEqual(tracks.tag(t, 'ARTIST'), 'Aleksi Aubry-Carlson')
        self.assertEqual(t.sources, {'Vorbis comments'})
        self.assertEqual(t.stem, 'battle')

    def test_not_vorbis_or_opus(self):
        self.assertIsNone(tracks.read_audio(self.write('noise.ogg', 'OggS but not really')))
        self.assertIsNone(tracks.read_audio(os.path.join(self.dir, 'missing.ogg')))

    def test_tag_helpers(self):
        t = tracks.Track('p', '/', 'a/music/x.ogg', 40.0, {})
        t.tags = {
            'TITLE': ['Desert', 'Desert Storm'],
            'GENRE': ['Trash Metal'],
            'ARTIST': ['bob', 'alice'],
            'COMMENT': ['Encoded by someone', 'A calm piece.', 'Desert Storm'],
        }
        self.assertEqual(tracks.tag_title(t), 'Desert Storm')
        self.assertIsNone(tracks.tag(t, 'ARTIST'))  # contradictory
        self.assertTrue(tracks.in_dir(t, 'music'))
        self.assertFalse(tracks.in_dir(t, 'x.ogg'))
        tracks.apply_tags(t, 'Game')
        self.assertEqual(t.genre, 'thrash metal')
        self.assertEqual(t.notes, ['a calm piece'])
        self.assertEqual(tracks.clean_title('06 - bob-Sunrise.ogg', 'Bob Smith'), 'Sunrise')


class Sentences(unittest.TestCase):
    def test_describe(self):
        game = Game(package='p', name='Game', style='a test game')
        t = tracks.Track('p', '/', 'music/boss.ogg', 40.0, {})
        t.kind, t.genre, t.title, t.tail = 'boss fight', 'rock', 'Final', 'of the castle'
        t.notes = ['a fast piece']
        t.add('played in the level \'X\'', 'level files')
        self.assertEqual(
            sentences.describe(t, game),
            "Rock boss fight music 'Final' of the castle, a fast piece; "
            "played in the level 'X'; from Game, a test game",
        )
        self.assertEqual(
            sentences.describe(t, Game(package='p', name='G', style='s', noun='song'))[:15],
            "Rock song 'Fina",
        )

    def test_title_from_file_name(self):
        game = Game(package='p', name='Game', style='s', untitled_stems=('sdmusic',))
        t = tracks.Track('p', '/', 'music/desert_storm.ogg', 40.0, {})
        sentences.title_from_file_name(t, game)
        self.assertEqual(t.title, 'desert storm')
        t = tracks.Track('p', '/', 'music/sdmusic.ogg', 40.0, {})
        sentences.title_from_file_name(t, game)
        self.assertIsNone(t.title)
        # A name that the description says already is no title.
        t = tracks.Track('p', '/', 'music/menu.ogg', 40.0, {})
        t.kind = 'main menu'
        sentences.title_from_file_name(t, game)
        self.assertIsNone(t.title)


@unittest.skipUnless(
    os.path.isdir(walk.CORPUS),
    'the corpus is not fetched (%s is missing): run data/training/fetch-corpus.sh '
    'to check that the script regenerates descriptions.tsv and SOURCES.md' % walk.CORPUS,
)
class Regeneration(TempDir):
    """The whole script, from a copy of this folder (it writes beside
    itself), must give the committed files byte for byte."""

    def test_outputs_are_unchanged(self):
        shutil.copy2(os.path.join(HERE, 'make-descriptions.py'), self.dir)
        shutil.copytree(
            os.path.join(HERE, 'corpus'),
            os.path.join(self.dir, 'corpus'),
            ignore=shutil.ignore_patterns('__pycache__'),
        )
        run = subprocess.run(
            [sys.executable, '-B', os.path.join(self.dir, 'make-descriptions.py')],
            capture_output=True,
            text=True,
        )
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn('total: ', run.stdout)
        for name in ('descriptions.tsv', 'SOURCES.md'):
            with self.subTest(name):
                with open(os.path.join(HERE, name), 'rb') as f:
                    want = f.read()
                with open(os.path.join(self.dir, name), 'rb') as f:
                    got = f.read()
                if got != want:
                    diff = difflib.unified_diff(
                        want.decode('utf-8', 'replace').splitlines(),
                        got.decode('utf-8', 'replace').splitlines(),
                        'committed ' + name,
                        'regenerated ' + name,
                        lineterm='',
                    )
                    self.fail('%s differs:\n%s' % (name, '\n'.join(list(diff)[:40])))


if __name__ == '__main__':
    unittest.main()
