import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

signal(SIGPIPE, SIG_IGN)
RobustnessCommand.main()
