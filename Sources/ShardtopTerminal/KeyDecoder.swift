import CNcurses
import ShardtopUI

/// Turns what get_wch returned into a Key.
enum KeyDecoder {
    static func decode(status: Int32, value: UInt32) -> Key? {
        if status == shim_key_code_yes() {
            let code = Int32(value)
            switch code {
            case shim_key_up(): return .up
            case shim_key_down(): return .down
            case shim_key_left(): return .left
            case shim_key_right(): return .right
            case shim_key_npage(): return .pageDown
            case shim_key_ppage(): return .pageUp
            case shim_key_home(): return .home
            case shim_key_end(): return .end
            case shim_key_enter(): return .enter
            case shim_key_backspace(): return .backspace
            case shim_key_btab(): return .backTab
            case shim_key_resize(): return .resize
            default:
                for n in 1...12 where code == shim_key_f(Int32(n)) { return .function(n) }
                return nil
            }
        }
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        default:
            guard value >= 32, let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }
}
