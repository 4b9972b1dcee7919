// Usage: node reader.js <lookupd http address> <topic>
// Starts an nsqjs Reader that discovers producers only through the given nsqlookupd, and logs what it sees.
const nsq = require('nsqjs');

const [lookupd, topic] = process.argv.slice(2);
const reader = new nsq.Reader(topic, 'interop', {
  lookupdHTTPAddresses: [lookupd],
  lookupdPollInterval: 1,
});
reader.on('error', (err) => console.log(`error ${err.message}`));
reader.on('nsqd_connected', (host, port) => console.log(`nsqd_connected ${host}:${port}`));
reader.connect();
console.log('reader started');
// Bounded: the test kills us sooner; never outlive a forgotten test.
setTimeout(() => process.exit(0), 60000);
