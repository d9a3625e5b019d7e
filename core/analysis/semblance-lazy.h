/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libsndfile, GStreamer's audio, app and pbutils libraries, libebur128, and
 * FFTW in builds with -Dfftw=true, loaded when the
 * engine first decodes or analyses: linked, they and the codecs
 * and libraries they bring (FLAC, Vorbis, Opus, MP3, GStreamer's base,
 * tag and video libraries, ORC) were 16 of the 45 libraries that every
 * process of the engine loaded, queries that decode nothing among them,
 * and about a third of a query's start. GStreamer's core stays linked.
 *
 * A file of the engine that calls them includes this header after theirs:
 * each function it uses is then a call through the table, with the same
 * name and type. The table is filled on the first call, from the file
 * names that a program linked with the libraries loads (found at build
 * time); a library that cannot be loaded ends the process with a message,
 * as a missing linked library would have.
 */
#pragma once

#include <gst/app/gstappsink.h>
#include <gst/audio/audio.h>
#include <gst/pbutils/pbutils.h>
#ifdef SEMBLANCE_HAVE_FFTW
#include <fftw3.h>
#endif
#include <ebur128.h>
#include <sndfile.h>

G_BEGIN_DECLS

#ifdef SEMBLANCE_HAVE_FFTW
#define SEMBLANCE_LAZY_FFT_FUNCTIONS(F) \
  F (FFT, fftwf_alloc_complex) \
  F (FFT, fftwf_alloc_real) \
  F (FFT, fftwf_destroy_plan) \
  F (FFT, fftwf_execute) \
  F (FFT, fftwf_free) \
  F (FFT, fftwf_plan_dft_r2c_1d)
#else
#define SEMBLANCE_LAZY_FFT_FUNCTIONS(F)
#endif

/* The functions, each with the library it is in (SemblanceLazyLibrary). */
#define SEMBLANCE_LAZY_FUNCTIONS(F) \
  F (SNDFILE, sf_close) \
  F (SNDFILE, sf_command) \
  F (SNDFILE, sf_error) \
  F (SNDFILE, sf_error_number) \
  F (SNDFILE, sf_get_string) \
  F (SNDFILE, sf_open) \
  F (SNDFILE, sf_open_fd) \
  F (SNDFILE, sf_readf_float) \
  F (SNDFILE, sf_readf_short) \
  F (SNDFILE, sf_strerror) \
  F (AUDIO, gst_audio_channel_get_fallback_mask) \
  F (AUDIO, gst_audio_channel_positions_from_mask) \
  F (AUDIO, gst_audio_check_valid_channel_positions) \
  F (AUDIO, gst_audio_converter_free) \
  F (AUDIO, gst_audio_converter_get_max_latency) \
  F (AUDIO, gst_audio_converter_get_out_frames) \
  F (AUDIO, gst_audio_converter_new) \
  F (AUDIO, gst_audio_converter_reset) \
  F (AUDIO, gst_audio_converter_samples) \
  F (AUDIO, gst_audio_dither_method_get_type) \
  F (AUDIO, gst_audio_format_get_info) \
  F (AUDIO, gst_audio_format_to_string) \
  F (AUDIO, gst_audio_info_from_caps) \
  F (AUDIO, gst_audio_info_is_equal) \
  F (AUDIO, gst_audio_info_set_format) \
  SEMBLANCE_LAZY_FFT_FUNCTIONS (F) \
  F (APP, gst_app_sink_get_type) \
  F (APP, gst_app_sink_is_eos) \
  F (APP, gst_app_sink_try_pull_sample) \
  F (PBUTILS, gst_discoverer_discover_uri) \
  F (PBUTILS, gst_discoverer_info_get_duration) \
  F (PBUTILS, gst_discoverer_info_get_tags) \
  F (PBUTILS, gst_discoverer_new) \
  F (EBUR128, ebur128_add_frames_float) \
  F (EBUR128, ebur128_destroy) \
  F (EBUR128, ebur128_init) \
  F (EBUR128, ebur128_loudness_window) \
  F (EBUR128, ebur128_set_channel)

typedef enum
{
  SEMBLANCE_LAZY_SNDFILE,
  SEMBLANCE_LAZY_AUDIO,
#ifdef SEMBLANCE_HAVE_FFTW
  SEMBLANCE_LAZY_FFT,
#endif
  SEMBLANCE_LAZY_APP,
  SEMBLANCE_LAZY_PBUTILS,
  SEMBLANCE_LAZY_EBUR128,
  SEMBLANCE_LAZY_N_LIBRARIES
} SemblanceLazyLibrary;

typedef struct
{
#define SEMBLANCE_LAZY_FIELD(library, name) __typeof__ (name) *name;
  SEMBLANCE_LAZY_FUNCTIONS (SEMBLANCE_LAZY_FIELD)
#undef SEMBLANCE_LAZY_FIELD
} SemblanceLazy;

/* The table, loaded on the first call; thread-safe. */
const SemblanceLazy *semblance_lazy (void);

#ifndef SEMBLANCE_LAZY_TABLE
#define sf_close (semblance_lazy ()->sf_close)
#define sf_command (semblance_lazy ()->sf_command)
#define sf_error (semblance_lazy ()->sf_error)
#define sf_error_number (semblance_lazy ()->sf_error_number)
#define sf_get_string (semblance_lazy ()->sf_get_string)
#define sf_open (semblance_lazy ()->sf_open)
#define sf_open_fd (semblance_lazy ()->sf_open_fd)
#define sf_readf_float (semblance_lazy ()->sf_readf_float)
#define sf_readf_short (semblance_lazy ()->sf_readf_short)
#define sf_strerror (semblance_lazy ()->sf_strerror)
#define gst_audio_channel_get_fallback_mask \
  (semblance_lazy ()->gst_audio_channel_get_fallback_mask)
#define gst_audio_channel_positions_from_mask \
  (semblance_lazy ()->gst_audio_channel_positions_from_mask)
#define gst_audio_check_valid_channel_positions \
  (semblance_lazy ()->gst_audio_check_valid_channel_positions)
#define gst_audio_converter_free (semblance_lazy ()->gst_audio_converter_free)
#define gst_audio_converter_get_max_latency \
  (semblance_lazy ()->gst_audio_converter_get_max_latency)
#define gst_audio_converter_get_out_frames \
  (semblance_lazy ()->gst_audio_converter_get_out_frames)
#define gst_audio_converter_new (semblance_lazy ()->gst_audio_converter_new)
#define gst_audio_converter_reset \
  (semblance_lazy ()->gst_audio_converter_reset)
#define gst_audio_converter_samples \
  (semblance_lazy ()->gst_audio_converter_samples)
#define gst_audio_dither_method_get_type \
  (semblance_lazy ()->gst_audio_dither_method_get_type)
#define gst_audio_format_get_info \
  (semblance_lazy ()->gst_audio_format_get_info)
#define gst_audio_format_to_string \
  (semblance_lazy ()->gst_audio_format_to_string)
#define gst_audio_info_from_caps (semblance_lazy ()->gst_audio_info_from_caps)
#define gst_audio_info_is_equal (semblance_lazy ()->gst_audio_info_is_equal)
#define gst_audio_info_set_format \
  (semblance_lazy ()->gst_audio_info_set_format)
#ifdef SEMBLANCE_HAVE_FFTW
#define fftwf_alloc_complex (semblance_lazy ()->fftwf_alloc_complex)
#define fftwf_alloc_real (semblance_lazy ()->fftwf_alloc_real)
#define fftwf_destroy_plan (semblance_lazy ()->fftwf_destroy_plan)
#define fftwf_execute (semblance_lazy ()->fftwf_execute)
#define fftwf_free (semblance_lazy ()->fftwf_free)
#define fftwf_plan_dft_r2c_1d (semblance_lazy ()->fftwf_plan_dft_r2c_1d)
#endif
#define gst_app_sink_get_type (semblance_lazy ()->gst_app_sink_get_type)
#define gst_app_sink_is_eos (semblance_lazy ()->gst_app_sink_is_eos)
#define gst_app_sink_try_pull_sample \
  (semblance_lazy ()->gst_app_sink_try_pull_sample)
#define gst_discoverer_discover_uri \
  (semblance_lazy ()->gst_discoverer_discover_uri)
#define gst_discoverer_info_get_duration \
  (semblance_lazy ()->gst_discoverer_info_get_duration)
#define gst_discoverer_info_get_tags \
  (semblance_lazy ()->gst_discoverer_info_get_tags)
#define gst_discoverer_new (semblance_lazy ()->gst_discoverer_new)
#define ebur128_add_frames_float (semblance_lazy ()->ebur128_add_frames_float)
#define ebur128_destroy (semblance_lazy ()->ebur128_destroy)
#define ebur128_init (semblance_lazy ()->ebur128_init)
#define ebur128_loudness_window (semblance_lazy ()->ebur128_loudness_window)
#define ebur128_set_channel (semblance_lazy ()->ebur128_set_channel)
#endif

G_END_DECLS
