#!/bin/sh
# Replaces livekit-cli's Git LFS pointers (pkg/provider/resources) with synthetic videos made by
# ffmpeg from its testsrc2 pattern, with the names, sizes, frame rates and bitrates lk expects.
set -e
cd "$1"
vp8() { ffmpeg -loglevel error -y -f lavfi -i "testsrc2=size=$2:rate=$3" -t 10 -c:v libvpx -b:v "$4" -deadline realtime -cpu-used 8 -g 120 -auto-alt-ref 0 -f ivf "$1"; }
h264() { ffmpeg -loglevel error -y -f lavfi -i "testsrc2=size=$2:rate=$3" -t 10 -c:v libx264 -preset veryfast -b:v "$4" -profile:v baseline -pix_fmt yuv420p -x264-params keyint=120 -bf 0 -bsf:v h264_mp4toannexb -f h264 "$1"; }
for p in crescent neon tunnel; do
  vp8 ${p}_180_150.ivf 320x180 15 150k; vp8 ${p}_360_600.ivf 640x360 20 600k; vp8 ${p}_720_2000.ivf 1280x720 30 2000k
done
h264 butterfly_180_150.h264 320x180 15 150k; h264 butterfly_360_400.h264 640x360 20 400k; h264 butterfly_720_2000.h264 1280x720 30 2000k
h264 cartoon_180_120.h264 320x180 15 120k; h264 cartoon_360_400.h264 640x360 20 400k; h264 cartoon_720_1500.h264 1280x720 30 1500k
h264 circles_p180_200.h264 180x240 15 200k; h264 circles_p360_700.h264 360x480 20 700k; h264 circles_p540_2000.h264 540x720 30 2000k
