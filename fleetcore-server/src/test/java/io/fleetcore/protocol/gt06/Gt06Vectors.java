package io.fleetcore.protocol.gt06;

/**
 * GT06 test vectors. LOGIN and its reply are the example of the public GT06 protocol description; the others
 * were built for fleetcore from the documented layout (docs/protocols/gt06.md), their CRCs by a bit-by-bit
 * CRC-16/X-25 ({@code Gt06ProtocolDecoderTest} recomputes them both ways).
 */
public final class Gt06Vectors {

    private Gt06Vectors() {
    }

    public static final String IMEI = "123456789012345";

    /** login, terminal id 0123456789012345, serial 1 */
    public static final String LOGIN = "78780D01012345678901234500018CDD0D0A";
    public static final String LOGIN_ACK = "787805010001D9DC0D0A";

    /** location 0x12: 2026-11-30 10:15:30 UTC, 11 satellites, 37.9815116 N 23.7315200 E, 60 km/h, course 123, fixed; MCC 202 MNC 1 LAC 0x1234 cell 0xABCD; serial 2 */
    public static final String LOCATION = "78781F121A0B1E0A0F1ECB04133181028BCE403C147B00CA01123400ABCD00024B580D0A";

    /** location 0x22: 2026-12-01 23:59:59 UTC, 9 satellites, 34.6037 S 58.3816 W, 0 km/h, course 270, fixed; MCC 722 MNC 7 LAC 4000 cell 77161; ACC on, upload mode 0, real time, mileage 123456; serial 3 */
    public static final String LOCATION_2 = "787826221A0C01173B3BC903B66B4406437FA000190E02D2070FA0012D690100000001E240000358A00D0A";

    /** heartbeat 0x13: terminal info 0x46 (ACC, charging, GPS tracking), voltage level 4, GSM 3, no alarm, language 2; serial 4 */
    public static final String HEARTBEAT = "78780A1346040300020004E5480D0A";
    public static final String HEARTBEAT_ACK = "787805130004BE5C0D0A";

    /** heartbeat 0x23 of newer models: terminal info 0x02 (ACC), voltage 0x0546 = 13.50 V, GSM 4, no alarm, language 2; serial 5 */
    public static final String HEARTBEAT_2 = "78780B23020546040002000571E40D0A";
    public static final String HEARTBEAT_2_ACK = "787805230005297B0D0A";

    /** alarm 0x16: the fix of LOCATION, LBS length 9 and its cell, terminal info 0x22 (ACC, SOS), voltage level 5, GSM 4, alarm 01 SOS, language 2; serial 6 */
    public static final String ALARM = "787825161A0B1E0A0F1ECB04133181028BCE403C147B0900CA01123400ABCD2205040102000609710D0A";
    public static final String ALARM_ACK = "787805160006A4F30D0A";

    /** alarm 0x26: the fix of LOCATION_2 but not fixed (course/status 0x090E), no LBS (length 0), terminal info 0x0A (ACC, terminal alarm vibration), voltage level 2, GSM 3, alarm 0x13 (not in the table), language 1; serial 7 */
    public static final String ALARM_2 = "78781D261A0C01173B3BC903B66B4406437FA000090E000A0203130100077BCA0D0A";
    public static final String ALARM_2_ACK = "78780526000733D40D0A";

    /** every frame of a session, in order */
    public static final String[] SESSION = {LOGIN, LOCATION, LOCATION_2, HEARTBEAT, HEARTBEAT_2, ALARM, ALARM_2};
}
