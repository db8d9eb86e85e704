import ArgumentParser
import TailorCLI

@main
struct Entrypoint {
    static func main() async {
        await TailorCommand.main()
    }
}
