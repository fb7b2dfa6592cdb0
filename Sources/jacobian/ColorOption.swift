import ArgumentParser

/// When output is coloured.
enum ColorMode: String, ExpressibleByArgument, CaseIterable {
    /// On a terminal, unless NO_COLOR is set to a non-empty value (no-color.org).
    case auto
    /// Always, even into a pipe.
    case always
    /// Never.
    case never
}

/// `--color auto|always|never`, shared by every command; it takes effect before any output.
struct ColorOption: ParsableArguments {
    @Option(help: "Colour: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorMode = .auto

    mutating func validate() throws { Output.colourMode = color }
}
