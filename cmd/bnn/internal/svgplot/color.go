package svgplot

import (
	"fmt"
	"image/color"
	"math"
)

// palette is the seaborn "colorblind" cycle the seed's notebook uses, so
// that C0, C1, … mean the same colours as in its figures.
var palette = []string{"#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161", "#fbafe4", "#949494", "#ece133", "#56b4e9"}

// Cycle returns the i-th colour (a "#rrggbb" string) of the palette, a
// colour-blind-safe set of ten, wrapping around.
func Cycle(i int) string { return palette[i%len(palette)] }

// Colormap maps [0, 1] to colours by linear interpolation between evenly
// spaced anchors.
type Colormap []color.RGBA

// Viridis is matplotlib's default sequential map, sampled at ten points.
var Viridis = Colormap{
	{0x44, 0x01, 0x54, 255}, {0x48, 0x28, 0x78, 255}, {0x3e, 0x49, 0x89, 255}, {0x31, 0x68, 0x8e, 255},
	{0x26, 0x82, 0x8e, 255}, {0x1f, 0x9e, 0x89, 255}, {0x35, 0xb7, 0x79, 255}, {0x6e, 0xce, 0x58, 255},
	{0xb5, 0xde, 0x2b, 255}, {0xfd, 0xe7, 0x25, 255},
}

// Blues is ColorBrewer's sequential Blues, the seed's contour map.
var Blues = Colormap{
	{0xf7, 0xfb, 0xff, 255}, {0xde, 0xeb, 0xf7, 255}, {0xc6, 0xdb, 0xef, 255}, {0x9e, 0xca, 0xe1, 255},
	{0x6b, 0xae, 0xd6, 255}, {0x42, 0x92, 0xc6, 255}, {0x21, 0x71, 0xb5, 255}, {0x08, 0x51, 0x9c, 255},
	{0x08, 0x30, 0x6b, 255},
}

// at returns the colour at u, clamped to [0, 1]; NaN maps to the low end.
func (m Colormap) at(u float64) color.RGBA {
	if !(u > 0) {
		return m[0]
	}
	if u >= 1 {
		return m[len(m)-1]
	}
	f := u * float64(len(m)-1)
	k := int(f)
	t := f - float64(k)
	a, b := m[k], m[k+1]
	mix := func(p, q uint8) uint8 { return uint8(math.Round(float64(p) + t*(float64(q)-float64(p)))) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}

// hex returns the colour at u as #rrggbb.
func (m Colormap) hex(u float64) string {
	c := m.at(u)
	return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
}
