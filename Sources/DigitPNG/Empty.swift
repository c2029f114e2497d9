import DigitKit
