// Browsers have no 订阅消息: nothing is asked and nothing is recorded.
export const canAskConsent = () => false;
export const askConsent = async () => false;
