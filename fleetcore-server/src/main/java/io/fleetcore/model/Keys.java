package io.fleetcore.model;

import java.util.List;

/**
 * Canonical names of vehicle and tracker values, one home for every protocol. OBD-II values go into a record's
 * {@code obd} map under the OBD keys; tracker parameters a protocol names (Teltonika IO ids, GT06 status bits)
 * use the IO keys; alarms use the alarm keys (a GT06 alarm's event code, a Teltonika alarm IO's name). Units are
 * part of the name ({@code _v}, {@code _kmh}, {@code _m}); a key without a unit is a count, a level or a flag.
 */
public final class Keys {

    private Keys() {
    }

    // --- OBD-II (record.obd; docs/schema.md, obd_* columns) ---
    public static final String RPM = "rpm";
    public static final String SPEED_KMH = "speed_kmh";
    public static final String COOLANT_TEMP_C = "coolant_temp_c";
    public static final String ENGINE_LOAD_PCT = "engine_load_pct";
    public static final String THROTTLE_PCT = "throttle_pct";
    public static final String FUEL_LEVEL_PCT = "fuel_level_pct";
    public static final String MAF_GPS = "maf_gps";
    public static final String INTAKE_AIR_TEMP_C = "intake_air_temp_c";
    public static final String AMBIENT_AIR_TEMP_C = "ambient_air_temp_c";
    public static final String MODULE_VOLTAGE_V = "module_voltage_v";
    public static final String OBD_ODOMETER_KM = "obd_odometer_km";
    public static final String DTC_COUNT = "dtc_count";
    public static final String VIN = "vin";
    /** a list of trouble code strings such as {@code P0301} */
    public static final String DTCS = "dtcs";

    /** Every canonical OBD-II key. */
    public static final List<String> OBD = List.of(RPM, SPEED_KMH, COOLANT_TEMP_C, ENGINE_LOAD_PCT, THROTTLE_PCT,
            FUEL_LEVEL_PCT, MAF_GPS, INTAKE_AIR_TEMP_C, AMBIENT_AIR_TEMP_C, MODULE_VOLTAGE_V, OBD_ODOMETER_KM, DTC_COUNT,
            VIN, DTCS);

    // --- named IO: tracker state ---
    /** boolean: ignition / ACC on */
    public static final String IGNITION = "ignition";
    /** boolean: the tracker sees the vehicle moving */
    public static final String MOVEMENT = "movement";
    /** GSM signal level as the device reports it (Teltonika 0-5, GT06 0-4) */
    public static final String GSM_SIGNAL = "gsm_signal";
    /** operator code MCC+MNC as one number (e.g. 24602) */
    public static final String GSM_OPERATOR = "gsm_operator";
    /** mobile country code of the serving cell */
    public static final String MCC = "mcc";
    /** mobile network code of the serving cell */
    public static final String MNC = "mnc";
    /** location area code of the serving cell */
    public static final String LAC = "lac";
    /** cell id of the serving cell */
    public static final String CELL_ID = "cell_id";
    public static final String EXTERNAL_VOLTAGE_V = "external_voltage_v";
    public static final String BATTERY_VOLTAGE_V = "battery_voltage_v";
    public static final String BATTERY_CURRENT_A = "battery_current_a";
    public static final String BATTERY_LEVEL_PCT = "battery_level_pct";
    /** boolean: the tracker's battery is charging */
    public static final String CHARGING = "charging";
    /** GNSS state: Teltonika 0 off, 1 on with fix, 2 on without fix, 3 sleep */
    public static final String GNSS_STATUS = "gnss_status";
    /** boolean: the position is a GNSS fix (GT06 course/status bit 12) */
    public static final String GNSS_FIXED = "gnss_fixed";
    public static final String PDOP = "pdop";
    public static final String HDOP = "hdop";
    /** GNSS speed as an IO value (the record's own speed is {@code speed_kmh} of the position) */
    public static final String GNSS_SPEED_KMH = "gnss_speed_kmh";
    public static final String TOTAL_ODOMETER_M = "total_odometer_m";
    public static final String TRIP_ODOMETER_M = "trip_odometer_m";
    public static final String DIGITAL_INPUT_1 = "digital_input_1";
    public static final String DIGITAL_INPUT_2 = "digital_input_2";
    public static final String DIGITAL_INPUT_3 = "digital_input_3";
    public static final String DIGITAL_OUTPUT_1 = "digital_output_1";
    public static final String DIGITAL_OUTPUT_2 = "digital_output_2";
    public static final String ANALOG_INPUT_1_V = "analog_input_1_v";
    public static final String ANALOG_INPUT_2_V = "analog_input_2_v";
    /** sleep mode as the device reports it (Teltonika 0 none, 1 GPS sleep, 2 deep sleep, ...) */
    public static final String SLEEP_MODE = "sleep_mode";
    /** accelerometer axes, mG */
    public static final String AXIS_X_MG = "axis_x_mg";
    public static final String AXIS_Y_MG = "axis_y_mg";
    public static final String AXIS_Z_MG = "axis_z_mg";
    /** iButton / Dallas key id, hex */
    public static final String IBUTTON = "ibutton";
    public static final String DALLAS_TEMP_1_C = "dallas_temp_1_c";
    public static final String DALLAS_TEMP_2_C = "dallas_temp_2_c";
    public static final String DALLAS_TEMP_3_C = "dallas_temp_3_c";
    public static final String DALLAS_TEMP_4_C = "dallas_temp_4_c";
    /** trip state: Teltonika 0 stop, 1 start */
    public static final String TRIP = "trip";
    /** idling state: Teltonika 0 moving, 1 idling */
    public static final String IDLING = "idling";
    /** roaming state as the device reports it (Teltonika 0 home on stop … 5 unknown on moving) */
    public static final String DATA_MODE = "data_mode";
    /** kind of harsh driving: Teltonika 1 acceleration, 2 braking, 3 cornering */
    public static final String GREEN_DRIVING_TYPE = "green_driving_type";
    /** strength of the harsh driving event as the device reports it (firmware-defined scale) */
    public static final String GREEN_DRIVING_VALUE = "green_driving_value";

    // --- alarms (an alarm IO's name; a GT06 alarm's event code) ---
    public static final String TOW = "tow";
    public static final String CRASH = "crash";
    public static final String JAMMING = "jamming";
    public static final String GNSS_JAMMING = "gnss_jamming";
    /** the tracker was disconnected from vehicle power */
    public static final String UNPLUG = "unplug";
    public static final String OVERSPEED = "overspeed";
    public static final String SOS = "sos";
    public static final String POWER_CUT = "power_cut";
    public static final String VIBRATION = "vibration";
    public static final String GEOFENCE_ENTER = "geofence_enter";
    public static final String GEOFENCE_EXIT = "geofence_exit";
    public static final String LOW_BATTERY = "low_battery";
}
