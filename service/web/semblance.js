// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The web page: search by description, "more like this", and an audio
// queue that plays the recommendations one after another, asking the
// server for more like the current track when it runs low. Plain DOM, no
// framework; the server's JSON API does the work (service/README.md).
'use strict';

const $ = (id) => document.getElementById(id);
const audio = $('audio');

// Tracks heard this session, sent as "previous" so that none comes back.
const played = [];
let queue = [];
let current = null;
let refilling = false;

const REFILL_BELOW = 3;
const LIST_LENGTH = 20;
const PER_ARTIST = 2;

function say (text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
}

async function api (path, params) {
  const url = new URL(path, location.href);
  for (const [name, value] of params)
    url.searchParams.append(name, value);
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok)
    throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}

function trackName (t) {
  return t.title || decodeURIComponent(t.uri.split('/').pop());
}

function minutes (seconds) {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

// "close in rhythm and timbre": the two groups nearest to the query; for
// a search, the words of the query the track matches.
function closeIn (t) {
  if (t.matched)
    return t.matched.length ? `matches ${t.matched.join(', ')}` : '';
  const groups = Object.entries(t.closeness || {}).sort((a, b) => b[1] - a[1]);
  return groups.length >= 2 ? `close in ${groups[0][0]} and ${groups[1][0]}` : '';
}

function button (text, label, className, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  // The accessible name starts with the visible text.
  b.setAttribute('aria-label', `${text}: ${label}`);
  b.className = className;
  b.addEventListener('click', action);
  return b;
}

function trackItem (t, actions) {
  const li = document.createElement('li');
  const title = document.createElement('span');
  const meta = document.createElement('span');
  const row = document.createElement('div');
  title.className = 'title';
  title.textContent = trackName(t);
  meta.className = 'meta';
  meta.textContent = [t.artist, t.duration > 0 ? minutes(t.duration) : null,
    closeIn(t)].filter(Boolean).join(' · ');
  row.className = 'actions';
  for (const a of actions)
    row.append(a);
  li.append(title, meta, row);
  li.dataset.id = t.id;
  markItem(li, current !== null && current.id === t.id);
  return li;
}

function showList (heading, tracks, focus) {
  const list = $('list');
  list.replaceChildren(...tracks.map((t, i) => trackItem(t, [
    button('Play', trackName(t), 'play', () => playFrom(tracks, i)),
    button('Queue', trackName(t), 'queue', () => enqueue(t)),
    button('More like this', trackName(t), 'more', () => moreLike(t)),
  ])));
  $('list-title').textContent = heading;
  $('list-title').hidden = false;
  say(tracks.length ? `${tracks.length} tracks.` : 'No track fits.');
  // The button that was pressed is gone: keep the reader's place.
  if (focus)
    $('list-title').focus();
}

function showQueue () {
  $('queue').replaceChildren(...queue.map((t, i) => trackItem(t, [
    button('Remove', trackName(t), 'remove', () => {
      queue.splice(i, 1);
      showQueue();
    }),
  ])));
  $('queue-count').textContent = queue.length;
  $('next').disabled = queue.length === 0;
}

// The playing track stands out, to the eye and to a screen reader.
function markItem (li, playing) {
  li.classList.toggle('playing', playing);
  if (playing)
    li.setAttribute('aria-current', 'true');
  else
    li.removeAttribute('aria-current');
}

function markPlaying () {
  for (const li of document.querySelectorAll('#list li'))
    markItem(li, current !== null && String(current.id) === li.dataset.id);
}

function play (t) {
  current = t;
  played.push(t.id);
  audio.src = t.audio;
  $('now').textContent = `Playing: ${trackName(t)}${t.artist ? ' — ' + t.artist : ''}`;
  markPlaying();
  audio.play().catch((e) => say(`Cannot play ${trackName(t)}: ${e.message}`, true));
  refill();
}

function playFrom (tracks, i) {
  queue = tracks.slice(i + 1);
  showQueue();
  play(tracks[i]);
}

function enqueue (t) {
  queue.push(t);
  showQueue();
  say(`${trackName(t)} added to the queue.`);
  if (!current)
    next();
}

function next () {
  const t = queue.shift();
  showQueue();
  if (t)
    play(t);
}

// When few tracks are left, more like the one playing, none heard before.
async function refill () {
  if (refilling || !current || queue.length >= REFILL_BELOW)
    return;
  refilling = true;
  try {
    const skip = new Set([...played, ...queue.map((t) => t.id)]);
    const params = [['id', current.id], ['count', '10'],
      ['max-per-artist', String(PER_ARTIST)]];
    for (const id of played.slice(-200))
      params.push(['previous', id]);
    const body = await api('/api/similar', params);
    queue.push(...body.tracks.filter((t) => !skip.has(t.id)));
    showQueue();
  } catch (e) {
    say(`No more recommendations: ${e.message}`, true);
  } finally {
    refilling = false;
  }
}

async function moreLike (t) {
  say(`Looking for tracks like ${trackName(t)}…`);
  try {
    const body = await api('/api/similar', [['id', t.id],
      ['count', String(LIST_LENGTH)], ['max-per-artist', String(PER_ARTIST)]]);
    showList(`More like ${trackName(t)}`, body.tracks, true);
  } catch (e) {
    say(e.message, true);
  }
}

$('search').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('q').value.trim();
  if (!text)
    return;
  say(`Searching for “${text}”…`);
  try {
    const body = await api('/api/search', [['q', text],
      ['count', String(LIST_LENGTH)]]);
    showList(`Tracks for “${text}”`, body.tracks, false);
  } catch (e) {
    say(e.message, true);
  }
});

audio.addEventListener('ended', next);
audio.addEventListener('error', () => {
  if (current)
    say(`Cannot play ${trackName(current)}; skipping it.`, true);
  next();
});
$('next').addEventListener('click', next);
