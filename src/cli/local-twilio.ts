/**
 * The Twilio of the stack `local` (npm start's) when nothing else is said: the project's emulator,
 * with its documented test credentials, on its default port. The deploy-time rooms never import
 * the emulator; the entry points hand these in.
 */
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from "../emulator/auth";
import { DEFAULT_PORT } from "../emulator/cli";

/** Where `npm start` and `npm run emulator` listen unless told otherwise. */
export const LOCAL_EMULATOR_URL = `http://127.0.0.1:${DEFAULT_PORT}`;

/** The emulator's credentials (the ones its account accepts unless started with others). */
export const LOCAL_CREDENTIALS = { accountSid: DEFAULT_ACCOUNT_SID, authToken: DEFAULT_AUTH_TOKEN };

/**
 * Twilio's URL and credentials for a command on the stack `local`: the environment's, else the
 * emulator's defaults (the providers' configure wants them even when a preview makes no call).
 */
export function localTwilioEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    TWILIO_ACCOUNT_SID: env.TWILIO_ACCOUNT_SID || DEFAULT_ACCOUNT_SID,
    ...(env.TWILIO_API_KEY
      ? {}
      : { TWILIO_AUTH_TOKEN: env.TWILIO_AUTH_TOKEN || DEFAULT_AUTH_TOKEN }),
    TWILIO_BASE_URL: env.TWILIO_BASE_URL || LOCAL_EMULATOR_URL,
  };
}
