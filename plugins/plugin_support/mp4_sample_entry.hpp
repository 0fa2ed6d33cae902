// plugins/plugin_support/mp4_sample_entry.hpp — what a track's first sample entry (inside stsd)
// says: a video entry's picture size and chroma format (from its avcC or hvcC), an audio entry's
// channels and sample rate (from its AAC configuration in esds when it has one, since the entry
// itself cannot hold a rate over 65535 Hz and always says 2 channels for AAC).
#pragma once

#include "mp4_boxes.hpp"
#include "mp4_probe.hpp"

namespace plugin_support::mp4 {

// Fills `track`'s codec, width, height and chroma_format from the visual sample entry `entry`.
void read_video_entry(const Box &entry, Mp4Track &track);

// Fills `track`'s codec, channels and sample_rate from the audio sample entry `entry`.
void read_audio_entry(const Box &entry, Mp4Track &track);

}  // namespace plugin_support::mp4
