"""A unit folder: which file is which (submission), banners, the paparan, and the unit check
that brings them and the videos together."""
